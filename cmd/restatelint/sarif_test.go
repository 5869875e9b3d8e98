package main_test

// restatelint -sarif: the output validates against the official SARIF
// 2.1.0 schema (testdata/sarif-schema-2.1.0.json) and, read back, gives the
// text output's findings at the same positions, on a non-ASCII line too;
// its fixes, applied from their byte regions, give what -fix writes.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/restatelint/restatelint/analyzers/all"
)

// sarifLog is what the test reads back.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					HelpURI          string `json:"helpUri"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation sarifArtifact `json:"artifactLocation"`
			Region           sarifRegion   `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Fixes []struct {
		Description struct {
			Text string `json:"text"`
		} `json:"description"`
		ArtifactChanges []struct {
			ArtifactLocation sarifArtifact `json:"artifactLocation"`
			Replacements     []struct {
				DeletedRegion   sarifRegion `json:"deletedRegion"`
				InsertedContent *struct {
					Text string `json:"text"`
				} `json:"insertedContent"`
			} `json:"replacements"`
		} `json:"artifactChanges"`
	} `json:"fixes"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
	ByteOffset  int `json:"byteOffset"`
	ByteLength  int `json:"byteLength"`
}

// validateSARIF checks data against the vendored SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	// The validator is real: a result without a message is rejected.
	bad := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a"}]}]}`
	raw, _ := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	c := jsonschema.NewCompiler()
	c.AddResource("sarif.json", doc)
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if schema.Validate(inst) == nil {
		t.Fatal("schema accepted a result without a message")
	}
}

func runSARIF(t *testing.T, dir string, args ...string) (*sarifLog, []byte) {
	t.Helper()
	cmd := exec.Command(binary, append(append([]string{"-sarif"}, args...), "./...")...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restatelint -sarif: %v\n%s", err, stderr.String())
	}
	validateSARIF(t, out)
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs", len(log.Runs))
	}
	return &log, out
}

// utf16ColToByte converts a 1-based UTF-16 column of line to a 1-based byte
// column.
func utf16ColToByte(line string, col int) int {
	units, off := 1, 0
	for units < col && off < len(line) {
		r, size := utf8.DecodeRuneInString(line[off:])
		units += max(utf16.RuneLen(r), 1)
		off += size
	}
	return off + 1
}

// byteLineCol converts a byte offset to a 1-based line and byte column.
func byteLineCol(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return line, off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
}

// sarifAsText renders the results as the text output prints them, once
// from the line/column (UTF-16) fields and once from the byte offsets.
func sarifAsText(t *testing.T, dir string, log *sarifLog) (fromColumns, fromBytes []string) {
	t.Helper()
	run := log.Runs[0]
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || filepath.IsAbs(loc.ArtifactLocation.URI) {
			t.Errorf("result location %+v is not relative to %%SRCROOT%%", loc.ArtifactLocation)
		}
		name := filepath.FromSlash(loc.ArtifactLocation.URI)
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		reg := loc.Region
		col := utf16ColToByte(lines[reg.StartLine-1], reg.StartColumn)
		fromColumns = append(fromColumns, fmt.Sprintf("%s:%d:%d: %s", name, reg.StartLine, col, r.Message.Text))
		line, bcol := byteLineCol(data, reg.ByteOffset)
		fromBytes = append(fromBytes, fmt.Sprintf("%s:%d:%d: %s", name, line, bcol, r.Message.Text))
		endLine, _ := byteLineCol(data, reg.ByteOffset+reg.ByteLength)
		if endLine != reg.EndLine {
			t.Errorf("%s: byte region ends on line %d, endLine is %d", name, endLine, reg.EndLine)
		}
		if rule := run.Tool.Driver.Rules[r.RuleIndex]; rule.ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is rule %s", r.RuleID, r.RuleIndex, rule.ID)
		}
	}
	return fromColumns, fromBytes
}

// TestSARIFDemo: schema-valid, one rule per analyzer with its URL and
// Doc, and the same findings at the same positions, in the same order, as
// the text output.
func TestSARIFDemo(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	log, out := runSARIF(t, demo)
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "restatelint" || run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("version %q, tool %q, columnKind %q", log.Version, run.Tool.Driver.Name, run.ColumnKind)
	}
	if !strings.HasPrefix(run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file:///") {
		t.Errorf("originalUriBaseIds: %v", run.OriginalURIBaseIDs)
	}
	analyzers := all.Analyzers()
	if len(run.Tool.Driver.Rules) != len(analyzers) {
		t.Errorf("%d rules for %d analyzers", len(run.Tool.Driver.Rules), len(analyzers))
	}
	for i, a := range analyzers {
		if i >= len(run.Tool.Driver.Rules) {
			break
		}
		r := run.Tool.Driver.Rules[i]
		if r.ID != a.Name || r.HelpURI != a.URL || r.FullDescription.Text != strings.TrimSpace(a.Doc) ||
			r.ShortDescription.Text == "" || !strings.HasPrefix(a.Doc, r.ShortDescription.Text[:min(20, len(r.ShortDescription.Text))]) {
			t.Errorf("rule %d = %+v, want analyzer %s", i, r, a.Name)
		}
	}

	text, _ := runIn(demo, binary, "./...")
	want := strings.Split(strings.TrimSpace(text), "\n")
	cols, offs := sarifAsText(t, demo, log)
	if !slices.Equal(cols, want) {
		t.Errorf("SARIF (line/column) and text output differ\nsarif:\n%s\ntext:\n%s", strings.Join(cols, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(offs, want) {
		t.Errorf("SARIF (byteOffset) and text output differ\nsarif:\n%s\ntext:\n%s", strings.Join(offs, "\n"), strings.Join(want, "\n"))
	}
	fixes := 0
	for _, r := range run.Results {
		fixes += len(r.Fixes)
	}
	if fixes == 0 {
		t.Error("no result carries a fix")
	}

	_, again := runSARIF(t, demo)
	if !bytes.Equal(out, again) {
		t.Error("two -sarif runs printed different output")
	}

	out2, err := runIn(demo, binary, "-sarif", "-json", "./...")
	if exitCode(err) != 1 || !strings.Contains(out2, "-sarif cannot be combined") {
		t.Errorf("-sarif -json: exit %d\n%s", exitCode(err), out2)
	}
}

// nonASCII is a handler whose finding and fix are on a line with
// multi-byte characters before them: é is 2 bytes and 1 UTF-16 unit,
// 🙂 4 bytes and 2 units.
const nonASCII = `package svc

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

type Svc struct{}

func (Svc) Stamp(ctx restate.ObjectContext) error {
	/* héllo 🙂 */ at := time.Now()
	restate.Set(ctx, "at", at)
	return nil
}
`

// TestSARIFNonASCII: columns are UTF-16 code units, byte offsets are
// bytes, both land on the text output's position; applying the SARIF fix
// from its byte regions (then gofmt) gives the file -fix writes.
func TestSARIFNonASCII(t *testing.T) {
	dir := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	writeFiles(t, dir, map[string]string{
		"go.mod":     strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1),
		"go.sum":     string(demoSum),
		"svc/svc.go": nonASCII,
	})
	log, _ := runSARIF(t, dir)
	text, err := runIn(dir, binary, "./...")
	if exitCode(err) != 3 {
		t.Fatalf("restatelint: exit %d\n%s", exitCode(err), text)
	}
	want := strings.Split(strings.TrimSpace(text), "\n")
	cols, offs := sarifAsText(t, dir, log)
	if !slices.Equal(cols, want) || !slices.Equal(offs, want) {
		t.Fatalf("SARIF and text output differ\ncolumns: %q\nbytes:   %q\ntext:    %q", cols, offs, want)
	}
	results := log.Runs[0].Results
	if len(results) != 1 {
		t.Fatalf("want one result, got %d", len(results))
	}
	reg := results[0].Locations[0].PhysicalLocation.Region
	line := strings.Split(nonASCII, "\n")[reg.StartLine-1]
	byteCol := strings.Index(line, "time.Now") + 1
	unitCol := len(utf16.Encode([]rune(line[:byteCol-1]))) + 1
	if reg.StartColumn != unitCol || reg.StartColumn == byteCol {
		t.Errorf("startColumn %d, want %d UTF-16 code units (byte column %d)", reg.StartColumn, unitCol, byteCol)
	}

	// Apply the first fix's replacements from the end of the file.
	fixes := results[0].Fixes
	if len(fixes) == 0 {
		t.Fatal("the walltime finding has no fix in SARIF")
	}
	src := []byte(nonASCII)
	type rep struct {
		off, n int
		text   string
	}
	var reps []rep
	for _, ch := range fixes[0].ArtifactChanges {
		if ch.ArtifactLocation.URI != "svc/svc.go" {
			t.Fatalf("fix edits %s", ch.ArtifactLocation.URI)
		}
		for _, r := range ch.Replacements {
			x := rep{off: r.DeletedRegion.ByteOffset, n: r.DeletedRegion.ByteLength}
			if r.InsertedContent != nil {
				x.text = r.InsertedContent.Text
			}
			if l, c := byteLineCol(src, x.off); l != r.DeletedRegion.StartLine ||
				utf16ColToByte(strings.Split(nonASCII, "\n")[l-1], r.DeletedRegion.StartColumn) != c {
				t.Errorf("replacement at byte %d: line/column %d:%d disagree with the byte offset (%d:%d)",
					x.off, r.DeletedRegion.StartLine, r.DeletedRegion.StartColumn, l, c)
			}
			reps = append(reps, x)
		}
	}
	slices.SortFunc(reps, func(a, b rep) int { return b.off - a.off })
	for _, r := range reps {
		src = append(src[:r.off:r.off], append([]byte(r.text), src[r.off+r.n:]...)...)
	}
	got, err := format.Source(src)
	if err != nil {
		t.Fatalf("SARIF fix gives invalid Go: %v\n%s", err, src)
	}
	if out, err := runIn(dir, binary, "-fix", "./..."); err != nil {
		t.Fatalf("-fix: %v\n%s", err, out)
	}
	fixed, err := os.ReadFile(filepath.Join(dir, "svc", "svc.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, fixed) {
		t.Errorf("SARIF fix applied:\n%s\n-fix wrote:\n%s", got, fixed)
	}
}
