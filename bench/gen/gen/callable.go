package gen

// kind is the signature of a generated helper. A few fixed signatures let
// any package call helpers of the packages it imports without the
// generator having to type-check what it writes.
type kind int

const (
	kStr    kind = iota // func(string) string
	kInt                // func(int64) int64
	kDomStr             // func(D) string, D a domain's main type
	kDomInt             // func(D) int64
	kDomDom             // func(D) D
)

// callable is a generated helper function.
type callable struct {
	owner    *pkg
	name     string
	kind     kind
	dom      *pkg // the domain D of kDom* kinds
	exported bool
	// sources are the nondeterministic sources (time.Now, math/rand,
	// os.Getenv, uuid) the helper reaches, directly or through other
	// helpers. Calling it from a handler outside restate.Run is the hazard
	// restatelint looks for.
	sources source
}

func (c *callable) impure() bool { return c.sources != 0 }

// source is a set of nondeterministic sources.
type source uint8

const (
	srcClock source = 1 << iota // time.Now
	srcRand                     // math/rand, math/rand/v2
	srcEnv                      // os.Getenv
	srcUUID                     // uuid.New*
)

var sourceNames = []string{"time", "rand", "env", "uuid"}

// names lists the sources in s.
func (s source) names() []string {
	var out []string
	for i, n := range sourceNames {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Probabilities of choosing an impure helper where one is available.
// Impurity propagates up the call graph, so these are kept small; inside
// restate.Run closures anything goes, as in real code.
const (
	pImpureHelper  = 0.05
	pImpureHandler = 0.04
	pImpureRun     = 0.5
)

// unit is one top-level declaration being generated. It tracks the
// nondeterministic sources that what it calls outside Run closures reach.
type unit struct {
	p       *pkg
	f       *file
	sources source
}

func (p *pkg) unit(f *file) *unit { return &unit{p: p, f: f} }

// call returns an expression applying a helper of kind k (over domain dom
// for kDom*) to arg, or fallback when no helper fits. pImpure is the
// chance of picking an impure helper; outside Run the choice taints u.
func (u *unit) call(k kind, dom *pkg, arg, fallback string, pImpure float64, inRun bool) string {
	c := u.pick(k, dom, pImpure)
	if c == nil {
		return fallback
	}
	if !inRun {
		u.sources |= c.sources
	}
	return u.f.use(c.owner) + c.name + "(" + arg + ")"
}

// same is call for kinds whose result has the argument's type; the
// argument itself is the fallback.
func (u *unit) same(k kind, dom *pkg, arg string, pImpure float64, inRun bool) string {
	return u.call(k, dom, arg, arg, pImpure, inRun)
}

// assign returns the statement "lhs = helper(arg)" and a newline, or ""
// when no helper fits (vet rejects self-assignments).
func (u *unit) assign(lhs string, k kind, dom *pkg, arg string, pImpure float64, inRun bool) string {
	if e := u.same(k, dom, arg, pImpure, inRun); e != arg {
		return lhs + " = " + e + "\n"
	}
	return ""
}

func (u *unit) pick(k kind, dom *pkg, pImpure float64) *callable {
	var pure, impure []*callable
	consider := func(cs []*callable, own bool) {
		for _, c := range cs {
			if c.kind != k || (k >= kDomStr && c.dom != dom) || (!own && !c.exported) {
				continue
			}
			if c.impure() {
				impure = append(impure, c)
			} else {
				pure = append(pure, c)
			}
		}
	}
	consider(u.p.callables, true)
	for _, d := range u.p.deps {
		consider(d.callables, false)
	}
	r := u.p.rng
	if len(impure) > 0 && r.Float64() < pImpure {
		return impure[r.IntN(len(impure))]
	}
	if len(pure) == 0 {
		return nil
	}
	return pure[r.IntN(len(pure))]
}

// register records the helper u just emitted.
func (u *unit) register(name string, k kind, dom *pkg) {
	u.p.callables = append(u.p.callables, &callable{
		owner: u.p, name: name, kind: k, dom: dom,
		exported: name[0] >= 'A' && name[0] <= 'Z',
		sources:  u.sources,
	})
}
