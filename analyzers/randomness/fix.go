package randomness

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// v2Names maps math/rand (v1) generator names to the math/rand/v2 method
// names of restate.Rand(ctx) on SDK v1 (*rand/v2.Rand). Names equal in
// both are absent.
var v2Names = map[string]string{
	"Intn": "IntN", "Int31": "Int32", "Int31n": "Int32N", "Int63": "Int64", "Int63n": "Int64N",
}

type fixer struct {
	pass *analysis.Pass
	sdk  *types.Package
}

func newFixer(pass *analysis.Pass) *fixer { return &fixer{pass: pass, sdk: sdk.Package(pass.Pkg)} }

func (fx *fixer) fix(site *reach.Site) (analysis.SuggestedFix, bool) {
	if site.Call == nil || site.Sink.Fix == "" || fx.sdk == nil {
		return analysis.SuggestedFix{}, false
	}
	fn, ok := site.Obj.(*types.Func)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	t, ok := fixes.TargetAt(fx.pass, site.Func, site.Call.Pos())
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	file, ctx, q, edits := t.File, t.Ctx, t.Q, t.ImportEdits
	var edit analysis.TextEdit
	var msg string
	switch site.Sink.Fix {
	case "rand":
		method, ok := fx.randMethod(fn)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		text := fmt.Sprintf("%sRand(%s).%s", q, ctx, method)
		edit = analysis.TextEdit{Pos: site.Call.Fun.Pos(), End: site.Call.Fun.End(), NewText: []byte(text)}
		msg = "Use restate.Rand(ctx)." + method
	case "uuid":
		expr, ok := fx.uuidExpr(fn, q, ctx)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edit = analysis.TextEdit{Pos: site.Call.Pos(), End: site.Call.End(), NewText: []byte(expr)}
		msg = "Use " + expr
	default:
		return analysis.SuggestedFix{}, false
	}
	edits = append(edits, edit)
	edits = append(edits, file.RemoveImportIfLastUse(fn.Pkg().Path(), site.Call.Fun)...)
	return analysis.SuggestedFix{Message: msg, TextEdits: edits}, true
}

// randMethod returns the method of restate.Rand(ctx)'s type that replaces
// the global generator fn, with an identical signature, if the SDK has one.
func (fx *fixer) randMethod(fn *types.Func) (string, bool) {
	randFn := sdk.FuncOf(fx.sdk, "Rand")
	if randFn == nil || randFn.Signature().Results().Len() != 1 {
		return "", false
	}
	recv := randFn.Signature().Results().At(0).Type()
	candidates := []string{fn.Name()}
	if v2, ok := v2Names[fn.Name()]; ok && fn.Pkg().Path() == "math/rand" {
		candidates = []string{v2, fn.Name()}
	}
	for _, name := range candidates {
		obj, _, _ := types.LookupFieldOrMethod(recv, true, nil, name)
		m, ok := obj.(*types.Func)
		if ok && sameSignature(m.Signature(), fn.Signature()) {
			return name, true
		}
	}
	return "", false
}

// uuidExpr returns the SDK expression that replaces uuid.New() (or, with
// ".String()", uuid.NewString()).
func (fx *fixer) uuidExpr(fn *types.Func, q, ctx string) (string, bool) {
	uuidType, suffix := fn.Signature().Results().At(0).Type(), ""
	if fn.Name() == "NewString" {
		newFn, ok := fn.Pkg().Scope().Lookup("New").(*types.Func)
		if !ok {
			return "", false
		}
		uuidType, suffix = newFn.Signature().Results().At(0).Type(), ".String()"
	}
	if u := sdk.FuncOf(fx.sdk, "UUID"); u != nil && u.Signature().Results().Len() == 1 &&
		types.Identical(u.Signature().Results().At(0).Type(), uuidType) {
		return fmt.Sprintf("%sUUID(%s)%s", q, ctx, suffix), true
	}
	if r := sdk.FuncOf(fx.sdk, "Rand"); r != nil && r.Signature().Results().Len() == 1 {
		obj, _, _ := types.LookupFieldOrMethod(r.Signature().Results().At(0).Type(), true, nil, "UUID")
		if m, ok := obj.(*types.Func); ok && m.Signature().Params().Len() == 0 && m.Signature().Results().Len() == 1 &&
			types.Identical(m.Signature().Results().At(0).Type(), uuidType) {
			return fmt.Sprintf("%sRand(%s).UUID()%s", q, ctx, suffix), true
		}
	}
	return "", false
}

// sameSignature compares parameters, results and variadicity, ignoring
// receivers.
func sameSignature(a, b *types.Signature) bool {
	return a.Variadic() == b.Variadic() && a.TypeParams().Len() == 0 && b.TypeParams().Len() == 0 &&
		types.Identical(a.Params(), b.Params()) && types.Identical(a.Results(), b.Results())
}
