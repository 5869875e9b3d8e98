package fixapply

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// IgnoreReason is the reason an "ignore" quick fix writes: a placeholder
// the user replaces (the directive requires a reason).
const IgnoreReason = "TODO: explain why this is safe when Restate replays the handler"

var directiveRE = regexp.MustCompile(`^([ \t]*//restatelint:ignore )([^ \t]+)(.*)$`)

// IgnoreEdit returns the edit of src that silences analyzer's finding at
// byte offset: it adds analyzer to a //restatelint:ignore directive alone
// on the line above, or inserts one there, with the line's indentation and
// IgnoreReason. File is left empty.
func IgnoreEdit(src []byte, offset int, analyzer string) Edit {
	offset = max(0, min(offset, len(src)))
	start := bytes.LastIndexByte(src[:offset], '\n') + 1 // start of the finding's line
	text := src[start:]
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	indent := text[:len(text)-len(bytes.TrimLeft(text, " \t"))]
	if start > 0 {
		prevStart := bytes.LastIndexByte(src[:start-1], '\n') + 1
		prev := strings.TrimSuffix(string(src[prevStart:start-1]), "\r")
		if sm := directiveRE.FindStringSubmatchIndex(prev); sm != nil {
			list := prev[sm[4]:sm[5]]
			if !slices.Contains(strings.Split(list, ","), analyzer) {
				at := prevStart + sm[5]
				return Edit{Start: at, End: at, New: "," + analyzer}
			}
		}
	}
	return Edit{Start: start, End: start, New: fmt.Sprintf("%s//restatelint:ignore %s %s\n", indent, analyzer, IgnoreReason)}
}
