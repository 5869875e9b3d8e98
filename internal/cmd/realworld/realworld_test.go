package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sha = "0123456789abcdef0123456789abcdef01234567"

func TestParseManifest(t *testing.T) {
	m, err := ParseManifest([]byte(`{"repositories": [
		{"repo": "acme/shop", "commit": "` + sha + `", "modules": [
			{"dir": "."},
			{"dir": "svc/billing", "patterns": ["./cmd/...", "./internal/..."]},
			{"dir": "old", "skip": "does not build"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := m.Find("acme/shop")
	if r == nil || r.DirName() != "acme+shop" {
		t.Fatalf("Find: %+v", r)
	}
	if got := r.Modules[0].Patterns; !reflect.DeepEqual(got, []string{"./..."}) {
		t.Errorf("default patterns = %q", got)
	}
	for file, want := range map[string]string{
		"main.go":             ".",
		"svc/billing/pay.go":  "svc/billing",
		"svc/billingx/pay.go": ".",
		"old/x.go":            "old",
	} {
		if got := r.ModuleOf(file); got == nil || got.Dir != want {
			t.Errorf("ModuleOf(%s) = %+v, want %s", file, got, want)
		}
	}
	if m.Find("acme/other") != nil {
		t.Error("Find of an unknown repository")
	}
}

func TestParseManifestErrors(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"repositories": []}`, "no repositories"},
		{`{"repos": []}`, "unknown field"},
		{`{"repositories": [{"repo": "noslash", "commit": "` + sha + `", "modules": [{"dir": "."}]}]}`, "not owner/name"},
		{`{"repositories": [{"repo": "a/b", "commit": "HEAD", "modules": [{"dir": "."}]}]}`, "40 lower-case hex"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": []}]}`, "no modules"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": "../x"}]}]}`, "clean relative path"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": "x/"}]}]}`, "clean relative path"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": "x"}, {"dir": "x"}]}]}`, "listed twice"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": ".", "patterns": ["-json"]}]}]}`, "bad package pattern"},
		{`{"repositories": [{"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": "."}]}, {"repo": "a/b", "commit": "` + sha + `", "modules": [{"dir": "."}]}]}`, "listed twice"},
	} {
		_, err := ParseManifest([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseManifest(%s): error %v, want %q", tc.json, err, tc.want)
		}
	}
}

// TestCommittedFiles checks that the committed manifest, verdicts and
// misses parse and agree (no entry for a repository the manifest lacks):
// CI has no mirrors, but it keeps these files usable.
func TestCommittedFiles(t *testing.T) {
	root := filepath.Join("..", "..", "..", "testdata", "realworld")
	m, err := ReadManifest(filepath.Join(root, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := ReadVerdicts(filepath.Join(root, "verdicts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ReadMisses(filepath.Join(root, "misses.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkKnown(m, vs, ms); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if r := m.Find(v.Repo); r.ModuleOf(v.File) == nil {
			t.Errorf("verdict %s: file in no module of the manifest", v.Key)
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestReadVerdicts(t *testing.T) {
	file := writeFile(t, "v.tsv", "# comment\n\nrepo\tfile\tline\tanalyzer\tverdict\treason\n"+
		"a/b\tx.go\t3\twalltime\tTP\ttime.Now in the handler\n"+
		"a/b\tx.go\t4\tsideeffect\tFP\tinside a Run wrapper\r\n"+
		"a/b\ty.go\t9\tmaporder\tdebatable\trange with a single Set\n"+
		"a/b\ty.go\t10\tmaporder\t?\t\n")
	vs, err := ReadVerdicts(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []Verdict{
		{Key{"a/b", "x.go", 3, "walltime"}, TP, "time.Now in the handler"},
		{Key{"a/b", "x.go", 4, "sideeffect"}, FP, "inside a Run wrapper"},
		{Key{"a/b", "y.go", 9, "maporder"}, Debatable, "range with a single Set"},
		{Key{"a/b", "y.go", 10, "maporder"}, Unreviewed, ""},
	}
	if !reflect.DeepEqual(vs, want) {
		t.Errorf("got %+v\nwant %+v", vs, want)
	}
	if vs, err := ReadVerdicts(filepath.Join(t.TempDir(), "none.tsv")); err != nil || vs != nil {
		t.Errorf("missing file: %v %v", vs, err)
	}
}

func TestReadVerdictsErrors(t *testing.T) {
	const header = "repo\tfile\tline\tanalyzer\tverdict\treason\n"
	for _, tc := range []struct{ body, want string }{
		{"a/b\tx.go\t3\twalltime\tTP\tr\n", "header must be"},
		{header + "a/b\tx.go\t3\twalltime\tTP\n", "5 tab-separated fields, want 6"},
		{header + "a/b\tx.go\tthree\twalltime\tTP\tr\n", "not a positive number"},
		{header + "a/b\tx.go\t0\twalltime\tTP\tr\n", "not a positive number"},
		{header + "a/b\t/abs/x.go\t3\twalltime\tTP\tr\n", "relative to the repository root"},
		{header + "ab\tx.go\t3\twalltime\tTP\tr\n", "not owner/name"},
		{header + "a/b\tx.go\t3\twalltime\tyes\tr\n", "is not TP, FP, debatable or ?"},
		{header + "a/b\tx.go\t3\twalltime\tFP\t \n", "needs a reason"},
		{header + "a/b\tx.go\t3\twalltime\tFP\tr\na/b\tx.go\t3\twalltime\tTP\tr\n", "has two verdicts"},
	} {
		_, err := ReadVerdicts(writeFile(t, "v.tsv", tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.body, err, tc.want)
		}
	}
}

func TestReadMisses(t *testing.T) {
	ms, err := ReadMisses(writeFile(t, "m.tsv", "repo\tfile\tline\tanalyzer\treason\na/b\tx.go\t7\tsideeffect\tpgx query in the handler\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Miss{{Key{"a/b", "x.go", 7, "sideeffect"}, "pgx query in the handler"}}; !reflect.DeepEqual(ms, want) {
		t.Errorf("got %+v", ms)
	}
	_, err = ReadMisses(writeFile(t, "m.tsv", "repo\tfile\tline\tanalyzer\treason\na/b\tx.go\t7\tsideeffect\tr\na/b\tx.go\t7\tsideeffect\tr\n"))
	if err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("duplicate miss: %v", err)
	}
}

const sampleJSON = `{
	"example.com/shop/pay": {
		"sideeffect": [
			{"category": "sideeffect", "posn": "/w/src/a+b/pay/pay.go:12:3", "end": "/w/src/a+b/pay/pay.go:12:9", "message": "calls http.Get",
			 "related": [{"posn": "/w/src/a+b/pay/client.go:4:1", "message": "declared here"}]},
			{"posn": "/w/src/a+b/pay/pay.go:12:20", "message": "calls os.Getenv"}
		],
		"walltime": [{"posn": "/w/src/a+b/pay/pay.go:5:7", "message": "time.Now"}]
	},
	"example.com/shop/pay [example.com/shop/pay.test]": {
		"sideeffect": [{"posn": "/w/src/a+b/pay/pay.go:12:3", "message": "calls http.Get"}],
		"maporder": {"error": "boom"}
	}
}`

func TestParseFindings(t *testing.T) {
	fs, errs, err := ParseFindings([]byte(sampleJSON), "a/b", "/w/src/a+b")
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{
		{Key{"a/b", "pay/pay.go", 5, "walltime"}, 7, "time.Now"},
		{Key{"a/b", "pay/pay.go", 12, "sideeffect"}, 3, "calls http.Get"},
		{Key{"a/b", "pay/pay.go", 12, "sideeffect"}, 20, "calls os.Getenv"},
	}
	if !reflect.DeepEqual(fs, want) {
		t.Errorf("findings\n%+v\nwant\n%+v", fs, want)
	}
	if want := []string{"example.com/shop/pay [example.com/shop/pay.test]: maporder: boom"}; !reflect.DeepEqual(errs, want) {
		t.Errorf("errors %q", errs)
	}
	reports := GroupFindings(fs)
	if len(reports) != 2 || reports[1].Count != 2 || len(reports[1].Messages) != 2 || reports[0].Count != 1 {
		t.Errorf("GroupFindings: %+v", reports)
	}
	for _, bad := range []string{`[`, `{"p": {"a": [{"posn": "nocolon", "message": "m"}]}}`, `{"p": {"a": [{"posn": "f.go:x:1", "message": "m"}]}}`, `{"p": {"a": 3}}`} {
		if _, _, err := ParseFindings([]byte(bad), "a/b", "/w"); err == nil {
			t.Errorf("ParseFindings(%s): no error", bad)
		}
	}
}

func TestSplitPosn(t *testing.T) {
	file, line, col, err := splitPosn(`C:\src\x.go:10:2`)
	if err != nil || file != `C:\src\x.go` || line != 10 || col != 2 {
		t.Errorf("got %q %d %d %v", file, line, col, err)
	}
}

func TestCompare(t *testing.T) {
	k := func(file string, line int, analyzer string) Key { return Key{"a/b", file, line, analyzer} }
	reports := []Report{
		{Key: k("x.go", 1, "walltime"), Count: 1, Messages: []string{"m1"}},   // TP
		{Key: k("x.go", 2, "sideeffect"), Count: 3, Messages: []string{"m2"}}, // FP, still reported
		{Key: k("x.go", 3, "sideeffect"), Count: 1, Messages: []string{"m3"}}, // new
		{Key: k("x.go", 4, "sideeffect"), Count: 1, Messages: []string{"m4"}}, // ? entry
		{Key: k("x.go", 5, "sideeffect"), Count: 1, Messages: []string{"m5"}}, // a miss, now found
		{Key: k("x.go", 6, "maporder"), Count: 1, Messages: []string{"m6"}},   // debatable
	}
	verdicts := []Verdict{
		{k("x.go", 1, "walltime"), TP, "r"},
		{k("x.go", 2, "sideeffect"), FP, "wrapper"},
		{k("x.go", 4, "sideeffect"), Unreviewed, ""},
		{k("x.go", 6, "maporder"), Debatable, "r"},
		{k("x.go", 7, "walltime"), TP, "lost"},
		{k("x.go", 8, "walltime"), FP, "fixed"},
		{k("x.go", 9, "walltime"), Debatable, "lost too"},
		{k("x.go", 10, "walltime"), Unreviewed, ""},
		{k("skipped/y.go", 1, "walltime"), TP, "module not analyzed"},
	}
	misses := []Miss{
		{k("x.go", 5, "sideeffect"), "db call"},
		{k("x.go", 11, "sideeffect"), "still"},
		{k("skipped/y.go", 2, "sideeffect"), "not analyzed"},
	}
	analyzed := func(key Key) bool { return !strings.HasPrefix(key.File, "skipped/") }
	d := Compare(reports, verdicts, misses, analyzed)

	keys := func(js []Judged) (out []Key) {
		for _, j := range js {
			out = append(out, j.Key)
		}
		return out
	}
	vkeys := func(vs []Verdict) (out []Key) {
		for _, v := range vs {
			out = append(out, v.Key)
		}
		return out
	}
	mkeys := func(ms []Miss) (out []Key) {
		for _, m := range ms {
			out = append(out, m.Key)
		}
		return out
	}
	check := func(name string, got, want []Key) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Unreviewed", keys(d.Unreviewed), []Key{k("x.go", 3, "sideeffect"), k("x.go", 4, "sideeffect")})
	check("FPStill", keys(d.FPStill), []Key{k("x.go", 2, "sideeffect")})
	check("Lost", vkeys(d.Lost), []Key{k("x.go", 7, "walltime"), k("x.go", 9, "walltime")})
	check("FPGone", vkeys(d.FPGone), []Key{k("x.go", 8, "walltime")})
	check("Stale", vkeys(d.Stale), []Key{k("x.go", 10, "walltime")})
	check("MissFound", mkeys(d.MissFound), []Key{k("x.go", 5, "sideeffect")})
	check("MissStill", mkeys(d.MissStill), []Key{k("x.go", 11, "sideeffect")})

	if got, want := *d.ByAnalyzer["sideeffect"], (Counts{Reports: 4, Diagnostics: 6, TP: 1, FP: 1, Unreviewed: 2}); got != want {
		t.Errorf("sideeffect counts %+v, want %+v", got, want)
	}
	if got, want := d.Total, (Counts{Reports: 6, Diagnostics: 8, TP: 2, FP: 1, Debatable: 1, Unreviewed: 2}); got != want {
		t.Errorf("total %+v, want %+v", got, want)
	}
	if p := d.Total.Precision(); p < 0.66 || p > 0.67 {
		t.Errorf("precision %v", p)
	}
	if (Counts{}).Precision() != -1 {
		t.Error("precision of nothing judged")
	}
	if r := d.MissRecall(); r != 0.5 {
		t.Errorf("miss recall %v", r)
	}
	if !reflect.DeepEqual(d.Analyzers(), []string{"maporder", "sideeffect", "walltime"}) {
		t.Errorf("analyzers %v", d.Analyzers())
	}
	if !d.Failed() {
		t.Error("unreviewed and lost reports must fail the gate")
	}
	clean := Compare(reports[:1], verdicts[:1], nil, analyzed)
	if clean.Failed() || len(clean.Unreviewed) != 0 {
		t.Errorf("clean diff failed: %+v", clean)
	}
	lostTP := &Diff{Lost: []Verdict{{Key: k("x.go", 7, "walltime"), Verdict: TP}}}
	lostDebatable := &Diff{Lost: []Verdict{{Key: k("x.go", 9, "walltime"), Verdict: Debatable}}}
	if !lostTP.Failed() || lostDebatable.Failed() {
		t.Errorf("a lost TP fails the gate (%v), a lost debatable does not (%v)", lostTP.Failed(), lostDebatable.Failed())
	}
}

func TestAppendUnreviewed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "v.tsv")
	j := []Judged{
		{Report: Report{Key: Key{"a/b", "x.go", 3, "walltime"}, Count: 2, Messages: []string{"time.Now\tin handler", "time.Since"}}},
		{Report: Report{Key: Key{"a/b", "x.go", 4, "walltime"}, Count: 1, Messages: []string{"time.Now"}}},
	}
	if err := appendUnreviewed(file, j); err != nil {
		t.Fatal(err)
	}
	if err := appendUnreviewed(file, j); err != nil { // again: no duplicates
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	want := "repo\tfile\tline\tanalyzer\tverdict\treason\n" +
		"a/b\tx.go\t3\twalltime\t?\t[x2] time.Now in handler / time.Since\n" +
		"a/b\tx.go\t4\twalltime\t?\ttime.Now\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	vs, err := ReadVerdicts(file)
	if err != nil || len(vs) != 2 {
		t.Errorf("emitted file does not read back: %v %v", vs, err)
	}
}

func TestWriteEntryRefusesEscapes(t *testing.T) {
	if err := writeEntry(t.TempDir(), "../evil.go", "100644", nil); err == nil {
		t.Error("wrote outside the work directory")
	}
}
