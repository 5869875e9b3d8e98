package deadlock

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Kind is the kind of Restate service a handler belongs to.
type Kind = sdk.ServiceKind

const (
	Service  = sdk.KindService  // a plain service: no lock
	Object   = sdk.KindObject   // a Virtual Object: exclusive handlers hold the key's lock
	Workflow = sdk.KindWorkflow // a workflow: its run handler is exclusive per workflow ID
)

// Handler is one handler of a service defined in the analyzed code, with
// the request-response calls its invocation makes (directly or through
// helpers that take its context).
type Handler struct {
	Service   string
	Name      string
	Kind      Kind
	Exclusive bool // ObjectContext, or a workflow's run handler (WorkflowContext)
	Calls     []Call
}

// Call is one awaited request-response call to another handler, named by
// string constants.
type Call struct {
	Service, Handler string
	Kind             Kind
	// SameKey: the key (or workflow ID) is the caller's own
	// (restate.Key(ctx) or a variable holding it).
	SameKey bool
	// Pos is where the call is reported: the call itself when it lies in
	// the package of the handler or of a helper taking the context, else
	// the handler's call of the helper from another package.
	Pos token.Position
}

func (h *Handler) id() string { return h.Service + "." + h.Name }

// Finding is one call that can deadlock, with the message to report.
type Finding struct {
	Pos     token.Position
	Message string
}

// remedy is what every message ends with.
const remedy = "make the callee a shared handler, call it with Send, or restructure"

// Find returns the calls of the handlers that can wait on themselves:
// (a) an exclusive handler awaiting an exclusive handler of its own
// object with its own key, (b) a workflow's run handler awaiting its own
// workflow's run, and (c) cycles of awaited calls between exclusive
// handlers of different services, reported at every call of the cycle.
// Calls whose names resolve to no handler in handlers are ignored.
// The result is sorted by position and has one finding per position.
func Find(handlers []Handler) []Finding {
	byID := make(map[string]*Handler)
	for i := range handlers {
		h := &handlers[i]
		if first, dup := byID[h.id()]; dup {
			// The same service seen through two packages, or two types
			// implementing one generated server (either may be bound):
			// one handler with the calls of both.
			merged := *first
			merged.Calls = dedupe(append(slices.Clone(first.Calls), h.Calls...))
			*first = merged
			continue
		}
		h = &Handler{Service: h.Service, Name: h.Name, Kind: h.Kind, Exclusive: h.Exclusive, Calls: h.Calls}
		byID[h.id()] = h
	}
	var out []Finding
	seen := make(map[token.Position]bool)
	add := func(pos token.Position, msg string) {
		if !seen[pos] {
			seen[pos] = true
			out = append(out, Finding{pos, msg})
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	// (a) and (b): a call to the own service with the own key.
	for _, id := range ids {
		h := byID[id]
		if !h.Exclusive {
			continue
		}
		for _, c := range h.Calls {
			callee := byID[c.Service+"."+c.Handler]
			if c.Service != h.Service || !c.SameKey || callee == nil || !callee.Exclusive {
				continue
			}
			add(c.Pos, selfMessage(h, callee))
		}
	}

	// (c): a call from an exclusive handler of service A to one of
	// another service B, from which awaited calls through exclusive
	// handlers lead back to an exclusive handler of A.
	for _, id := range ids {
		h := byID[id]
		if !h.Exclusive {
			continue
		}
		for _, c := range h.Calls {
			callee := byID[c.Service+"."+c.Handler]
			if callee == nil || !callee.Exclusive || callee.Service == h.Service {
				continue
			}
			path := pathBack(byID, callee, h.Service)
			if path == nil {
				continue
			}
			cycle := append([]*Handler{h}, path...)
			msg := cycleMessage(cycle)
			add(c.Pos, msg)
			// Every other call of the cycle is reported with it.
			for i := 1; i+1 < len(cycle); i++ {
				for _, cc := range cycle[i].Calls {
					if cc.Service+"."+cc.Handler == cycle[i+1].id() {
						add(cc.Pos, msg)
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.Filename, b.Pos.Filename), cmp.Compare(a.Pos.Offset, b.Pos.Offset))
	})
	return out
}

// pathBack returns the shortest chain of awaited calls through exclusive
// handlers from start to an exclusive handler of service target (start
// first, the target's handler last), or nil.
func pathBack(byID map[string]*Handler, start *Handler, target string) []*Handler {
	prev := map[*Handler]*Handler{start: nil}
	queue := []*Handler{start}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		for _, c := range h.Calls {
			next := byID[c.Service+"."+c.Handler]
			if next == nil || !next.Exclusive {
				continue
			}
			if _, ok := prev[next]; ok {
				continue
			}
			if next.Service == h.Service && !c.SameKey {
				continue // another instance of the same object: no lock shared
			}
			prev[next] = h
			if next.Service == target {
				var path []*Handler
				for p := next; p != nil; p = prev[p] {
					path = append(path, p)
				}
				slices.Reverse(path)
				return path
			}
			queue = append(queue, next)
		}
	}
	return nil
}

func selfMessage(caller, callee *Handler) string {
	what := "object"
	lock := "key"
	if caller.Kind == Workflow {
		what, lock = "workflow", "workflow ID"
	}
	return fmt.Sprintf("%s awaits %s of its own %s with its own %s: the call waits for the %s's lock, which the caller holds until the call returns, so the invocation deadlocks; %s",
		caller.id(), callee.id(), what, lock, lock, remedy)
}

func cycleMessage(cycle []*Handler) string {
	names := make([]string, len(cycle))
	for i, h := range cycle {
		names[i] = h.id()
	}
	return fmt.Sprintf("awaited call on a cycle of exclusive handlers (%s): each waits for the next, which waits for a lock the first holds, so the invocations deadlock when their keys meet; %s",
		strings.Join(names, " → "), remedy)
}
