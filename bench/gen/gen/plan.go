package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// modulePath is the module the generator writes.
const modulePath = "example.com/benchapp"

// layer is a tier of the generated code base. Packages import only from
// lower layers or from lower-numbered packages of their own layer, so the
// import graph is a DAG several levels deep, like a real service monorepo.
type layer int

const (
	layerPlatform layer = iota // small shared helpers (text, numbers, env, clocks)
	layerDomain                // data types with methods
	layerStore                 // repositories and computations over domain types
	layerService               // Restate services, objects and workflows
	layerCmd                   // server binaries binding the services
)

// pkg is one generated package: its place in the graph, and what it
// exports to the packages generated after it.
type pkg struct {
	layer layer
	index int    // position within its layer
	name  string // Go package name, unique in the module
	path  string // directory relative to the module root
	title string // CamelCase form of the noun, e.g. "Order"

	deps   []*pkg // module packages it may import
	domain *pkg   // store and service: the domain it is about
	store  *pkg   // service: its main store

	rng   *rand.Rand
	names map[string]bool // package-level identifiers in use

	callables []*callable // helpers, in generation order
	handlers  []*handler  // service: handlers reachable by name
	helpers   []string    // service: private ctx helpers, see service.go
}

func (p *pkg) importPath() string { return modulePath + "/" + p.path }

// fileName is the name in the package clause.
func (p *pkg) fileName(test bool) string {
	if p.layer == layerCmd {
		return "main"
	}
	return p.name
}

// unique returns base, or base with a number, whichever is still free.
func (p *pkg) unique(base string) string {
	name := base
	for i := 2; p.names[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	p.names[name] = true
	return name
}

// uniqueFrom picks a free name from candidates, falling back to numbering
// the first one.
func (p *pkg) uniqueFrom(candidates ...string) string {
	start := p.rng.IntN(len(candidates))
	for i := range candidates {
		c := candidates[(start+i)%len(candidates)]
		if !p.names[c] {
			p.names[c] = true
			return c
		}
	}
	return p.unique(candidates[start])
}

func (p *pkg) depsIn(l layer) []*pkg {
	var out []*pkg
	for _, d := range p.deps {
		if d.layer == l {
			out = append(out, d)
		}
	}
	return out
}

// Vocabularies for package names. None of them is a standard library
// package name or a local variable name used by the templates.
var (
	domainNouns = []string{
		"order", "invoice", "payment", "customer", "account", "shipment", "parcel",
		"warehouse", "product", "catalog", "cart", "coupon", "ledger", "refund",
		"subscription", "plan", "tenant", "member", "booking", "reservation",
		"ticket", "flight", "hotel", "room", "vehicle", "route", "trip", "fare",
		"wallet", "transfer", "loan", "claim", "policy", "quote", "lead",
		"campaign", "message", "notification", "device", "sensor", "reading",
		"alert", "incident", "task", "job", "report", "document", "contract",
		"supplier", "purchase", "stock", "review", "rating", "profile", "badge",
		"voucher", "shift", "timesheet", "payroll", "expense",
	}
	platformNames = []string{
		"textutil", "clockutil", "config", "idgen", "money", "retry", "geo",
		"metrics", "hashing", "paging", "validate", "backoff", "tzutil",
		"feature", "locale", "masking", "slugs", "checksum", "quota", "ratelimit",
		"envutil", "formatting", "units", "versioning", "caching", "tagging",
		"labels", "naming", "timeutil", "jsonutil", "mathutil", "netutil",
		"urlutil", "pricing", "scoring", "ranking", "sampling",
	}
	storeSuffixes   = []string{"store", "index", "rules", "calc", "views", "batch"}
	serviceSuffixes = []string{"svc", "api", "flow", "ops", "jobs"}
	serviceTitles   = map[string]string{"svc": "", "api": "Api", "flow": "Flow", "ops": "Ops", "jobs": "Jobs"}
)

// plan lays out n packages and their imports, in an order where every
// package comes after its dependencies.
func plan(n int, seed uint64) []*pkg {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	nCmd := max(1, n/50)
	rest := n - nCmd
	nPlat := max(1, rest*15/100)
	nDom := max(1, rest*25/100)
	nStore := max(1, rest*30/100)
	nSvc := rest - nPlat - nDom - nStore

	taken := make(map[string]bool)
	claim := func(base string) string {
		name := base
		for i := 2; taken[name]; i++ {
			name = fmt.Sprintf("%s%d", base, i)
		}
		taken[name] = true
		return name
	}
	nouns := slices.Clone(domainNouns)
	r.Shuffle(len(nouns), func(i, j int) { nouns[i], nouns[j] = nouns[j], nouns[i] })
	plats := slices.Clone(platformNames)
	r.Shuffle(len(plats), func(i, j int) { plats[i], plats[j] = plats[j], plats[i] })

	var all []*pkg
	newPkg := func(l layer, index int, name, dir string) *pkg {
		p := &pkg{
			layer: l, index: index, name: name, path: dir + "/" + name,
			rng:   rand.New(rand.NewPCG(seed, uint64(len(all)+1))),
			names: make(map[string]bool),
		}
		all = append(all, p)
		return p
	}
	// pickSome picks up to k distinct packages of from. Choosing among all
	// earlier packages (not just recent ones) keeps the graph about as
	// deep as a real monorepo's: ~25 levels at 400 packages.
	pickSome := func(from []*pkg, k int) []*pkg {
		cand := slices.Clone(from)
		r.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
		return cand[:min(k, len(cand))]
	}

	var plat, dom, store, svc []*pkg
	titles := make(map[string]bool)
	for i := range nPlat {
		p := newPkg(layerPlatform, i, claim(plats[i%len(plats)]), "internal/platform")
		p.deps = pickSome(plat, 1+r.IntN(2))
		plat = append(plat, p)
	}
	for i := range nDom {
		noun := claim(nouns[i%len(nouns)])
		p := newPkg(layerDomain, i, noun, "internal/domain")
		p.title = camel(noun)
		p.deps = append(pickSome(dom, r.IntN(3)), pickSome(plat, 1)...)
		dom = append(dom, p)
	}
	for i := range nStore {
		d := dom[i%nDom]
		p := newPkg(layerStore, i, claim(d.name+storeSuffixes[i/nDom%len(storeSuffixes)]), "internal/store")
		p.domain = d
		p.deps = []*pkg{d}
		p.deps = append(p.deps, pickOthers(r, dom, d, r.IntN(3))...)
		p.deps = append(p.deps, pickSome(plat, 1+r.IntN(3))...)
		p.deps = append(p.deps, pickSome(store, r.IntN(3))...)
		store = append(store, p)
	}
	for i := range nSvc {
		st := store[i%nStore]
		suffix := serviceSuffixes[i/nStore%len(serviceSuffixes)]
		p := newPkg(layerService, i, claim(st.domain.name+suffix), "internal/services")
		p.domain, p.store = st.domain, st
		// Restate service names derive from the title ("OrderService",
		// "OrderObject", ...) and must be unique in the module.
		p.title = camel(st.domain.name) + serviceTitles[suffix]
		for i := 2; titles[p.title]; i++ {
			p.title = fmt.Sprintf("%s%sV%d", camel(st.domain.name), serviceTitles[suffix], i)
		}
		titles[p.title] = true
		p.deps = []*pkg{st.domain, st}
		p.deps = append(p.deps, pickOthers(r, store, st, r.IntN(3))...)
		p.deps = append(p.deps, pickSome(plat, 1+r.IntN(2))...)
		p.deps = append(p.deps, pickSome(svc, r.IntN(3))...)
		svc = append(svc, p)
	}
	for i := range nCmd {
		p := newPkg(layerCmd, i, claim(nouns[i%len(nouns)]+"-server"), "cmd")
		for j := i; j < nSvc; j += nCmd {
			p.deps = append(p.deps, svc[j])
		}
	}
	for _, p := range all {
		p.deps = dedupe(p.deps)
		if p.title == "" {
			p.title = camel(p.name)
		}
	}
	return all
}

// pickOthers picks up to k packages of from other than self.
func pickOthers(r *rand.Rand, from []*pkg, self *pkg, k int) []*pkg {
	var out []*pkg
	for range k {
		if c := from[r.IntN(len(from))]; c != self {
			out = append(out, c)
		}
	}
	return out
}

func dedupe(ps []*pkg) []*pkg {
	var out []*pkg
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// camel turns "order2svc" or "ship-server" into "Order2svc" / "ShipServer".
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}
