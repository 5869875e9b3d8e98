package gen

// genStore emits a store package: an in-memory repository of its domain's
// records, batch computations over them, and helpers that chain into the
// platform and other stores.
func genStore(p *pkg, target int) []*file {
	b := newBuilder(p, "queries.go", "helpers.go", "export.go", "derive.go", "views.go")
	f := b.open(p.name + ".go")
	optionsDecl(p, f)
	storeCore(p, f)
	var once []func(*pkg, *file)
	once = append(once, storeTemplates...)
	for _, od := range p.depsIn(layerDomain) {
		if od != p.domain {
			once = append(once, func(p *pkg, f *file) { attachHelper(p, f, od) })
		}
	}
	p.rng.Shuffle(len(once), func(i, j int) { once[i], once[j] = once[j], once[i] })
	for b.lines() < target {
		f := b.file()
		switch x := p.rng.Float64(); {
		case len(once) > 0 && x < 0.4:
			once[0](p, f)
			once = once[1:]
		case x < 0.6:
			domHelper(p, f, p.domain)
		case x < 0.8:
			strHelper(p, f)
		default:
			intHelper(p, f)
		}
	}
	return b.files
}

func storeCore(p *pkg, f *file) {
	for _, n := range []string{"Repo", "NewRepo", "Put", "Get", "List", "Len", "Delete"} {
		p.names[n] = true
	}
	f.printf(`// Repo is an in-memory index of %[1]s values by ID. Services keep the
// durable copy in Restate state; a Repo holds projections rebuilt from it.
type Repo struct {
	mu    %[2]s.RWMutex
	items map[string]%[1]s
}

// NewRepo returns an empty Repo.
func NewRepo() *Repo {
	return &Repo{items: make(map[string]%[1]s)}
}

// Put validates v and stores it, replacing any previous version.
func (r *Repo) Put(v %[1]s) error {
	if err := v.Validate(); err != nil {
		return %[3]s.Errorf("%[4]s: %%w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[v.ID] = v
	return nil
}

// Get returns the stored value for id.
func (r *Repo) Get(id string) (%[1]s, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.items[id]
	return v, ok
}

// Delete removes id and reports whether it was present.
func (r *Repo) Delete(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.items[id]
	delete(r.items, id)
	return ok
}

// Len is the number of stored values.
func (r *Repo) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.items)
}

// List returns every stored value ordered by ID.
func (r *Repo) List() []%[1]s {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]%[1]s, 0, len(r.items))
	for _, v := range r.items {
		out = append(out, v)
	}
	%[5]s.SortFunc(out, func(a, b %[1]s) int { return %[6]s.Compare(a.ID, b.ID) })
	return out
}

`, typeOf(f, p.domain), f.std("sync"), f.std("fmt"), p.name, f.std("slices"), f.std("strings"))
}

// storeTemplates are used at most once per store package.
var storeTemplates = []func(p *pkg, f *file){
	func(p *pkg, f *file) {
		p.names["TopN"] = true
		f.printf(`// TopN returns the n values of xs with the largest totals.
func TopN(xs []%[1]s, n int) []%[1]s {
	out := %[2]s.Clone(xs)
	%[3]s.SliceStable(out, func(i, j int) bool { return out[i].Total() > out[j].Total() })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

`, typeOf(f, p.domain), f.std("slices"), f.std("sort"))
	},
	func(p *pkg, f *file) {
		p.names["GroupByStatus"] = true
		f.printf(`// GroupByStatus buckets xs by lifecycle status.
func GroupByStatus(xs []%[1]s) map[%[2]sStatus][]%[1]s {
	groups := make(map[%[2]sStatus][]%[1]s)
	for _, x := range xs {
		groups[x.Status] = append(groups[x.Status], x)
	}
	return groups
}

`, typeOf(f, p.domain), f.use(p.domain))
	},
	func(p *pkg, f *file) {
		p.names["Chunk"] = true
		f.printf(`// Chunk splits xs into batches of at most size elements.
func Chunk(xs []%[1]s, size int) [][]%[1]s {
	if size <= 0 {
		size = Defaults.Limit
	}
	var out [][]%[1]s
	for len(xs) > size {
		out = append(out, xs[:size])
		xs = xs[size:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

`, typeOf(f, p.domain))
	},
	func(p *pkg, f *file) {
		p.names["Diff"] = true
		f.printf(`// Diff lists the fields that differ between a and b.
func Diff(a, b %[1]s) []string {
	var out []string
	if a.Name != b.Name {
		out = append(out, %[2]s.Sprintf("name: %%q -> %%q", a.Name, b.Name))
	}
	if a.Amount != b.Amount {
		out = append(out, %[2]s.Sprintf("amount: %%d -> %%d", a.Amount, b.Amount))
	}
	if a.Status != b.Status {
		out = append(out, %[2]s.Sprintf("status: %%s -> %%s", a.Status, b.Status))
	}
	if !%[3]s.Equal(a.Tags, b.Tags) {
		out = append(out, "tags")
	}
	return out
}

`, typeOf(f, p.domain), f.std("fmt"), f.std("slices"))
	},
	func(p *pkg, f *file) {
		p.names["ToSummaries"] = true
		f.printf(`// ToSummaries condenses xs for a listing response.
func ToSummaries(xs []%[1]s) []%[2]sSummary {
	out := make([]%[2]sSummary, len(xs))
	for i, x := range xs {
		out[i] = x.Summary()
	}
	return out
}

`, typeOf(f, p.domain), f.use(p.domain))
	},
	func(p *pkg, f *file) {
		p.names["DecodeLines"] = true
		f.printf(`// DecodeLines reads newline-delimited JSON values, as written by exports.
func DecodeLines(data []byte) ([]%[1]s, error) {
	dec := %[2]s.NewDecoder(%[3]s.NewReader(data))
	var out []%[1]s
	for dec.More() {
		var v %[1]s
		if err := dec.Decode(&v); err != nil {
			return out, %[4]s.Errorf("%[5]s: record %%d: %%w", len(out), err)
		}
		out = append(out, v)
	}
	return out, nil
}

`, typeOf(f, p.domain), f.std("encoding/json"), f.std("bytes"), f.std("fmt"), p.name)
	},
	func(p *pkg, f *file) {
		name := p.unique("ToRow")
		f.printf(`// %[1]s renders v as one CSV row.
func %[1]s(v %[2]s) string {
	var b %[3]s.Builder
	b.WriteString(v.ID)
	b.WriteByte(',')
	b.WriteString(%[4]s.Quote(v.Name))
	b.WriteByte(',')
	b.WriteString(%[4]s.FormatInt(v.Total(), 10))
	b.WriteByte(',')
	b.WriteString(v.Status.String())
	return b.String()
}

`, name, typeOf(f, p.domain), f.std("strings"), f.std("strconv"))
		p.unit(f).register(name, kDomStr, p.domain)
	},
	func(p *pkg, f *file) {
		p.names["ByStatus"] = true
		f.printf(`// ByStatus returns the stored values in status s, ordered by ID.
func (r *Repo) ByStatus(s %[2]sStatus) []%[1]s {
	var out []%[1]s
	for _, v := range r.List() {
		if v.Status == s {
			out = append(out, v)
		}
	}
	return out
}

`, typeOf(f, p.domain), f.use(p.domain))
	},
	func(p *pkg, f *file) {
		p.names["Totals"] = true
		f.printf(`// Totals returns the total of every stored value keyed by ID.
func (r *Repo) Totals() map[string]int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int64, len(r.items))
	for id, v := range r.items {
		out[id] = v.Total()
	}
	return out
}

`)
	},
}

// attachHelper copies the identity of another domain's record onto one of
// the store's domain.
func attachHelper(p *pkg, f *file, od *pkg) {
	name := p.unique("Attach" + od.title)
	f.printf(`// %[1]s copies the identity of w onto v.
func %[1]s(v %[2]s, w %[3]s) %[2]s {
	if v.Attrs == nil {
		v.Attrs = make(map[string]string)
	}
	v.Attrs[%[4]q] = w.ID
	v.Tags = append(v.Tags, %[4]q+":"+w.Status.String())
	return v
}

`, name, typeOf(f, p.domain), typeOf(f, od), od.name)
}
