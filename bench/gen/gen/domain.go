package gen

import (
	"fmt"
	"strings"
)

// receiver is the receiver name for methods on d's main type: its first
// letter, or two when one would clash with the templates' locals.
func receiver(d *pkg) string {
	r := strings.ToLower(d.title[:1])
	if strings.Contains("ikbhrsnvtdo", r) {
		r = strings.ToLower(d.title[:2])
	}
	return r
}

// genDomain emits a domain package: a main record type with items, a
// status enum, a reference and a summary type, their invariants and
// JSON encoding, then methods and helpers up to the line target.
func genDomain(p *pkg, target int) []*file {
	b := newBuilder(p, "methods.go", "queries.go", "codec.go", "derive.go")
	domainCore(p, b.open(p.name+".go"))
	var methods []func(*pkg, *file)
	methods = append(methods, domainMethods...)
	for _, od := range p.depsIn(layerDomain) {
		methods = append(methods, func(p *pkg, f *file) { linkMethod(p, f, od) })
	}
	p.rng.Shuffle(len(methods), func(i, j int) { methods[i], methods[j] = methods[j], methods[i] })
	for b.lines() < target {
		f := b.file()
		if len(methods) > 0 && p.chance(0.6) {
			methods[0](p, f)
			methods = methods[1:]
			continue
		}
		domHelper(p, f, p)
	}
	if p.chance(0.35) {
		domainTest(p, b)
	}
	return b.files
}

func domainCore(p *pkg, f *file) {
	t, r := p.title, receiver(p)
	for _, n := range []string{t, "Status", "StatusPending", "StatusActive", "StatusDone",
		"StatusCancelled", "Item", "Ref", "Summary", "New", "Encode", "Decode", "ParseStatus",
		"String", "Total", "Validate"} {
		p.names[n] = true
	}
	var refs strings.Builder
	for _, od := range p.depsIn(layerDomain) {
		fmt.Fprintf(&refs, "\t%sRef %sRef `json:\"%s_ref,omitzero\"`\n", od.title, f.use(od), od.name)
	}
	f.printf(`// Status is the lifecycle state of a %[1]s.
type Status int

const (
	StatusPending Status = iota
	StatusActive
	StatusDone
	StatusCancelled
)

func (s Status) String() string {
	switch s {
	case StatusPending:
		return "pending"
	case StatusActive:
		return "active"
	case StatusDone:
		return "done"
	case StatusCancelled:
		return "cancelled"
	}
	return "unknown"
}

// ParseStatus is the inverse of Status.String.
func ParseStatus(s string) (Status, error) {
	for st := StatusPending; st <= StatusCancelled; st++ {
		if st.String() == s {
			return st, nil
		}
	}
	return 0, %[3]s.Errorf("%[4]s: unknown status %%q", s)
}

// %[1]s is the record kept in Restate state by the %[4]s services.
type %[1]s struct {
	ID      string            `+"`json:\"id\"`"+`
	Name    string            `+"`json:\"name\"`"+`
	Amount  int64             `+"`json:\"amount\"`"+`
	Status  Status            `+"`json:\"status\"`"+`
	Tags    []string          `+"`json:\"tags,omitempty\"`"+`
	Attrs   map[string]string `+"`json:\"attrs,omitempty\"`"+`
	Items   []Item            `+"`json:\"items,omitempty\"`"+`
	Updated int64             `+"`json:\"updated\"`"+`
%[5]s}

// Item is one line of a %[1]s.
type Item struct {
	SKU      string `+"`json:\"sku\"`"+`
	Quantity int64  `+"`json:\"quantity\"`"+`
	Price    int64  `+"`json:\"price\"`"+`
}

// Ref points at a %[1]s from other domains without copying it.
type Ref struct {
	ID   string `+"`json:\"id\"`"+`
	Kind string `+"`json:\"kind\"`"+`
}

// Summary is what handlers return to callers.
type Summary struct {
	ID     string `+"`json:\"id\"`"+`
	Total  int64  `+"`json:\"total\"`"+`
	Count  int    `+"`json:\"count\"`"+`
	Status string `+"`json:\"status\"`"+`
}

// New returns a pending %[1]s with its maps allocated.
func New(id, name string) %[1]s {
	return %[1]s{ID: id, Name: name, Status: StatusPending, Attrs: map[string]string{}}
}

// Ref returns a reference to %[2]s.
func (%[2]s %[1]s) Ref() Ref { return Ref{ID: %[2]s.ID, Kind: %[4]q} }

// Total is the amount plus the value of all items.
func (%[2]s %[1]s) Total() int64 {
	total := %[2]s.Amount
	for _, it := range %[2]s.Items {
		total += it.Quantity * it.Price
	}
	return total
}

// Summary condenses %[2]s for callers.
func (%[2]s %[1]s) Summary() Summary {
	return Summary{ID: %[2]s.ID, Total: %[2]s.Total(), Count: len(%[2]s.Items), Status: %[2]s.Status.String()}
}

// Validate checks the invariants every stored %[1]s satisfies.
func (%[2]s *%[1]s) Validate() error {
	if %[2]s.ID == "" {
		return %[6]s.New("%[4]s: missing id")
	}
	if len(%[2]s.Name) > 200 {
		return %[3]s.Errorf("%[4]s %%s: name too long (%%d bytes)", %[2]s.ID, len(%[2]s.Name))
	}
	for i, it := range %[2]s.Items {
		if it.Quantity <= 0 {
			return %[3]s.Errorf("%[4]s %%s: item %%d: quantity %%d", %[2]s.ID, i, it.Quantity)
		}
	}
	return nil
}

// Encode is the wire and state encoding of a %[1]s.
func Encode(%[2]s %[1]s) ([]byte, error) { return %[7]s.Marshal(%[2]s) }

// Decode is the inverse of Encode.
func Decode(data []byte) (%[1]s, error) {
	var %[2]s %[1]s
	err := %[7]s.Unmarshal(data, &%[2]s)
	return %[2]s, err
}

`, t, r, f.std("fmt"), p.name, refs.String(), f.std("errors"), f.std("encoding/json"))
}

// domainMethods are the one-off method and function templates of a
// domain package; each is used at most once per package.
var domainMethods = []func(p *pkg, f *file){
	func(p *pkg, f *file) {
		p.names["HasTag"] = true
		f.printf(`// HasTag reports whether %[2]s carries tag, ignoring case.
func (%[2]s %[1]s) HasTag(tag string) bool {
	for _, have := range %[2]s.Tags {
		if %[3]s.EqualFold(have, tag) {
			return true
		}
	}
	return false
}

`, p.title, receiver(p), f.std("strings"))
	},
	func(p *pkg, f *file) {
		p.names["WithTag"] = true
		f.printf(`// WithTag returns a copy of %[2]s with tag added once.
func (%[2]s %[1]s) WithTag(tag string) %[1]s {
	if %[3]s.Contains(%[2]s.Tags, tag) {
		return %[2]s
	}
	%[2]s.Tags = append(%[3]s.Clone(%[2]s.Tags), tag)
	return %[2]s
}

`, p.title, receiver(p), f.std("slices"))
	},
	func(p *pkg, f *file) {
		p.names["AttrKeys"] = true
		f.printf(`// AttrKeys returns the attribute names of %[2]s in sorted order, so that
// callers iterating attributes produce stable output.
func (%[2]s %[1]s) AttrKeys() []string {
	keys := make([]string, 0, len(%[2]s.Attrs))
	for k := range %[2]s.Attrs {
		keys = append(keys, k)
	}
	%[3]s.Strings(keys)
	return keys
}

`, p.title, receiver(p), f.std("sort"))
	},
	func(p *pkg, f *file) {
		p.names["Clone"] = true
		f.printf(`// Clone returns a deep copy of %[2]s.
func (%[2]s %[1]s) Clone() %[1]s {
	%[2]s.Tags = %[3]s.Clone(%[2]s.Tags)
	%[2]s.Items = %[3]s.Clone(%[2]s.Items)
	%[2]s.Attrs = %[4]s.Clone(%[2]s.Attrs)
	return %[2]s
}

`, p.title, receiver(p), f.std("slices"), f.std("maps"))
	},
	func(p *pkg, f *file) {
		p.names["FilterByStatus"] = true
		f.printf(`// FilterByStatus returns the elements of xs in status s, in order.
func FilterByStatus(xs []%[1]s, s Status) []%[1]s {
	var out []%[1]s
	for _, x := range xs {
		if x.Status == s {
			out = append(out, x)
		}
	}
	return out
}

`, p.title)
	},
	func(p *pkg, f *file) {
		p.names["SumTotals"] = true
		f.printf(`// SumTotals adds up the totals of xs.
func SumTotals(xs []%[1]s) int64 {
	var sum int64
	for _, x := range xs {
		sum += x.Total()
	}
	return sum
}

`, p.title)
	},
	func(p *pkg, f *file) {
		p.names["SortByAmount"] = true
		f.printf(`// SortByAmount sorts xs by descending amount, then by ID.
func SortByAmount(xs []%[1]s) {
	%[2]s.SortFunc(xs, func(a, b %[1]s) int {
		if c := %[3]s.Compare(b.Amount, a.Amount); c != 0 {
			return c
		}
		return %[4]s.Compare(a.ID, b.ID)
	})
}

`, p.title, f.std("slices"), f.std("cmp"), f.std("strings"))
	},
	func(p *pkg, f *file) {
		p.names["IndexByID"] = true
		f.printf(`// IndexByID maps the elements of xs by ID; later duplicates win.
func IndexByID(xs []%[1]s) map[string]%[1]s {
	m := make(map[string]%[1]s, len(xs))
	for _, x := range xs {
		m[x.ID] = x
	}
	return m
}

`, p.title)
	},
	func(p *pkg, f *file) {
		p.names["Merge"] = true
		f.printf(`// Merge combines two summaries of the same %[1]s.
func (s Summary) Merge(o Summary) Summary {
	s.Total += o.Total
	s.Count += o.Count
	if o.Status != "" {
		s.Status = o.Status
	}
	return s
}

`, p.title)
	},
	func(p *pkg, f *file) {
		p.names["Subtotal"] = true
		f.printf(`// Subtotal is the item's price times its quantity.
func (it Item) Subtotal() int64 { return it.Price * it.Quantity }

`)
	},
	func(p *pkg, f *file) {
		p.names["Transition"] = true
		f.printf(`// Transition moves %[2]s to status next if the lifecycle allows it.
func (%[2]s *%[1]s) Transition(next Status) error {
	switch {
	case %[2]s.Status == next:
		return nil
	case %[2]s.Status == StatusDone, %[2]s.Status == StatusCancelled:
		return %[3]s.Errorf("%[4]s %%s: cannot move from %%s to %%s", %[2]s.ID, %[2]s.Status, next)
	}
	%[2]s.Status = next
	return nil
}

`, p.title, receiver(p), f.std("fmt"), p.name)
	},
}

// linkMethod links a record to one of another domain it references.
func linkMethod(p *pkg, f *file, od *pkg) {
	name := p.unique("Link" + od.title)
	f.printf(`// %[1]s records o as related to %[3]s.
func (%[3]s *%[2]s) %[1]s(o %[4]s) {
	%[3]s.%[5]sRef = o.Ref()
	if %[3]s.Attrs == nil {
		%[3]s.Attrs = make(map[string]string)
	}
	%[3]s.Attrs[%[6]q] = o.ID
}

`, name, p.title, receiver(p), typeOf(f, od), od.title, od.name)
}

// domainTest emits table tests of Validate and the JSON round trip.
func domainTest(p *pkg, b *builder) {
	f := newFile(p, p.name+"_test.go")
	f.test = true
	f.std("testing")
	f.printf(`func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		in      %[1]s
		wantErr bool
	}{
		{"ok", New("a1", "first"), false},
		{"missing id", %[1]s{}, true},
		{"bad item", %[1]s{ID: "a2", Items: []Item{{SKU: "x", Quantity: 0}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.in.Validate(); (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %%v, wantErr %%v", err, tt.wantErr)
			}
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	in := New("a1", "first")
	in.Items = append(in.Items, Item{SKU: "s", Quantity: 2, Price: 5})
	data, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Total() != in.Total() {
		t.Errorf("total after round trip = %%d, want %%d", out.Total(), in.Total())
	}
}
`, p.title)
	b.files = append(b.files, f)
}
