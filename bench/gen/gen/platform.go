package gen

// genPlatform emits a helper package. About a third of them get one
// nondeterministic "source" helper early on, which later helpers (here and
// in importing packages) occasionally call.
func genPlatform(p *pkg, target int) []*file {
	b := newBuilder(p, "text.go", "numbers.go", "convert.go", "format.go", "registry.go")
	optionsDecl(p, b.open(p.name+".go"))
	sourceAt := -1
	if p.chance(0.3) {
		sourceAt = 1 + p.rng.IntN(2)
	}
	for i := 0; b.lines() < target; i++ {
		f := b.file()
		switch x := p.rng.Float64(); {
		case i == sourceAt:
			sourceHelper(p, f)
		case x < 0.45:
			strHelper(p, f)
		case x < 0.9:
			intHelper(p, f)
		default:
			registryType(p, f)
		}
	}
	if p.chance(0.3) {
		platformTest(p, b)
	}
	return b.files
}

// platformTest emits a stability test for one pure string helper.
func platformTest(p *pkg, b *builder) {
	var c *callable
	for _, x := range p.callables {
		if x.kind == kStr && !x.impure() {
			c = x
			break
		}
	}
	if c == nil {
		return
	}
	f := newFile(p, p.name+"_test.go")
	f.test = true
	f.std("testing")
	f.printf(`func Test%[1]sStable(t *testing.T) {
	for _, in := range []string{"", "Hello World", "a, b ,c", "Ünïcode input"} {
		got := %[1]s(in)
		if again := %[1]s(in); again != got {
			t.Errorf("%[1]s(%%q) is not stable: %%q, then %%q", in, got, again)
		}
	}
}
`, c.name)
	b.files = append(b.files, f)
}
