package reach

import (
	"go/ast"
	"go/token"
	"go/types"
)

// relocate moves reached-code findings out of generated files (rules.md,
// "Generated files"): a handler site in a generated file (a
// protoc-gen-go-restate server, another generator's handler delegating to
// hand-written code) whose chain continues into a function of this package
// declared in a hand-written file is reported there instead, at the call
// or sink where that function's part of the chain continues, so it lands
// where the user can change something. Frames in other packages cannot be
// positioned portably (a go vet unit sees only its own files): a chain
// that leaves the package before reaching hand-written code stays at the
// generated site, as does one that never reaches any. Restate operations
// (OpRule) are never reported and stay.
func (w *walker) relocate(sums map[*types.Func]*Summary) {
	moved := make(map[*Site]*Site) // hand-written site -> its relocated copy
	for _, s := range w.sites {
		if len(s.Effects) == 0 || !w.generated(s.Pos()) {
			continue
		}
		kept := s.Effects[:0:0]
		for _, e := range s.Effects {
			var t *Site
			if e.Rule != OpRule {
				t = w.handWritten(s, e.Rule, sums)
			}
			if t == nil {
				kept = append(kept, e)
				continue
			}
			r := moved[t]
			if r == nil {
				r = &Site{Func: t.Func, Expr: t.Expr, Ident: t.Ident, Obj: t.Obj, Call: t.Call, Uses: t.Uses}
				moved[t] = r
				w.sites = append(w.sites, r)
			}
			switch {
			case t.Sink != nil && t.Sink.Rule == e.Rule:
				r.Sink = t.Sink
			case t.Unseen && e.Rule == UnseenRule:
				r.Unseen = true
			default:
				for _, te := range w.calleeEffects(t, sums) {
					if te.Rule == e.Rule {
						merge(&r.Effects, te)
					}
				}
			}
		}
		s.Effects = kept
	}
}

// handWritten follows rule's chain from s, a site in a generated file, to
// the first site of it in a function of this package declared in a
// hand-written file; nil if the chain leaves the package or ends first.
func (w *walker) handWritten(s *Site, rule string, sums map[*types.Func]*Summary) *Site {
	for range 64 { // chains are acyclic; the bound guards against surprises
		fn, ok := s.Obj.(*types.Func)
		if !ok || s.Sink != nil || s.Unseen || fn.Pkg() != w.pass.Pkg {
			return nil
		}
		e, ok := sums[fn].Get(rule)
		if !ok || e.from == nil {
			return nil
		}
		if !w.generated(e.from.Pos()) {
			return e.from
		}
		s = e.from
	}
	return nil
}

// calleeEffects returns what calling the callee of site t reaches, lifted
// to t's caller (given a handler context, a dual-mode callee's dispatch
// effects).
func (w *walker) calleeEffects(t *Site, sums map[*types.Func]*Summary) []Effect {
	if v, ok := t.Obj.(*types.Var); ok && t.Call != nil {
		if lit := w.boundLit(v); lit != nil && w.litSums[lit] != nil {
			return w.liftLit(w.litSums[lit].Effects, lit) // a call through a bound variable (bound.go)
		}
		return nil
	}
	fn, ok := t.Obj.(*types.Func)
	if !ok {
		return nil
	}
	sum := sums[fn]
	if sum == nil {
		sum = w.imported[fn]
	}
	if sum == nil {
		return nil
	}
	return w.lift(w.effectsAt(sum, t), fn, t)
}

// generated reports whether pos lies in a generated file of the package
// (// Code generated ... DO NOT EDIT.).
func (w *walker) generated(pos token.Pos) bool {
	tf := w.pass.Fset.File(pos)
	if tf == nil {
		return false
	}
	if w.genFiles == nil {
		w.genFiles = make(map[*token.File]bool)
		for _, f := range w.pass.Files {
			if ast.IsGenerated(f) {
				w.genFiles[w.pass.Fset.File(f.FileStart)] = true
			}
		}
	}
	return w.genFiles[tf]
}
