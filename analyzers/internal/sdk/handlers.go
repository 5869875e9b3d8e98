package sdk

import (
	"go/types"
)

// ServiceKind is the kind of Restate service a handler belongs to.
type ServiceKind uint8

const (
	KindService  ServiceKind = iota + 1 // a plain service: no lock
	KindObject                          // a Virtual Object: exclusive handlers hold the key's lock
	KindWorkflow                        // a workflow: its run handler is exclusive per workflow ID
)

// HandlerKind is what a handler is: the kind of its service, and whether
// it is exclusive (ObjectContext, or a workflow's run handler).
type HandlerKind struct {
	Service   ServiceKind
	Exclusive bool
}

// handlerConstructors are the SDK's functions that make a handler of a
// function (restate.NewObjectHandler(fn)), with what they make.
var handlerConstructors = map[string]HandlerKind{
	"NewServiceHandler":        {KindService, false},
	"NewObjectHandler":         {KindObject, true},
	"NewObjectSharedHandler":   {KindObject, false},
	"NewWorkflowHandler":       {KindWorkflow, true},
	"NewWorkflowSharedHandler": {KindWorkflow, false},
}

// routerConstructors make a service definition that handlers are added
// to: restate.NewObject("Cart").Handler("Hold", ...).
var routerConstructors = map[string]ServiceKind{
	"NewService":  KindService,
	"NewObject":   KindObject,
	"NewWorkflow": KindWorkflow,
}

// handlerContextKinds are what the SDK's five handler contexts make a
// handler: restate.Reflect accepts no other first parameter.
var handlerContextKinds = map[string]HandlerKind{
	"Context":               {KindService, false},
	"ObjectContext":         {KindObject, true},
	"ObjectSharedContext":   {KindObject, false},
	"WorkflowContext":       {KindWorkflow, true},
	"WorkflowSharedContext": {KindWorkflow, false},
}

// HandlerConstructor reports whether fn is one of the SDK's handler
// constructors (NewServiceHandler, NewObjectHandler, ...), and what the
// handler it makes is.
func HandlerConstructor(fn *types.Func) (HandlerKind, bool) {
	if fn == nil {
		return HandlerKind{}, false
	}
	k, ok := handlerConstructors[fn.Name()]
	return k, ok && IsFunc(fn, fn.Name())
}

// RouterConstructor reports whether fn is restate.NewService, NewObject
// or NewWorkflow, and the kind of service it defines.
func RouterConstructor(fn *types.Func) (ServiceKind, bool) {
	if fn == nil {
		return 0, false
	}
	k, ok := routerConstructors[fn.Name()]
	return k, ok && IsFunc(fn, fn.Name())
}

// ContextKind reports what a handler whose context has type t is: t must
// be one of the SDK's five handler contexts (or an alias of one) exactly.
func ContextKind(t types.Type) (HandlerKind, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != Path {
		return HandlerKind{}, false
	}
	k, ok := handlerContextKinds[n.Obj().Name()]
	return k, ok
}
