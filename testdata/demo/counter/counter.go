// Package counter is the PageViews virtual object (keyed by page path): the page-view
// counter of the idempotency guide, in its naive form and in its deduplicating form.
package counter

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

// PageViews is registered with restate.Reflect.
type PageViews struct{}

// ResetRequest names who asked for a reset, for the audit trail.
type ResetRequest struct {
	By string `json:"by"`
}

// AuditEntry records the last administrative action on a page.
type AuditEntry struct {
	Action string    `json:"action"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Record counts one view. A client that retries after a timeout sends a new request,
// which Restate runs as a new invocation: the view is counted twice.
func (PageViews) Record(ctx restate.ObjectContext) (int, error) {
	views, err := restate.Get[int](ctx, "views")
	if err != nil {
		return 0, err
	}
	restate.Set(ctx, "views", views+1) // BUG(statecounter): every duplicate request increments again
	return views + 1, nil
}

// RecordOnce counts a view identified by the client-chosen viewID at most once.
func (PageViews) RecordOnce(ctx restate.ObjectContext, viewID string) (int, error) {
	seen, err := restate.Get[map[string]bool](ctx, "recorded_views")
	if err != nil {
		return 0, err
	}
	total, err := restate.Get[int](ctx, "total_views")
	if err != nil {
		return 0, err
	}
	if seen[viewID] {
		return total, nil // already counted
	}
	if seen == nil {
		seen = map[string]bool{}
	}
	seen[viewID] = true
	restate.Set(ctx, "recorded_views", seen)
	restate.Set(ctx, "total_views", total+1) // OK: guarded by the early return on a request ID already recorded in state
	return total + 1, nil
}

// Count returns the naive counter. Shared handlers can't write state.
func (PageViews) Count(ctx restate.ObjectSharedContext) (int, error) {
	return restate.Get[int](ctx, "views")
}

// Reset sets both counters back to zero.
func (PageViews) Reset(ctx restate.ObjectContext, req ResetRequest) error {
	restate.Set(ctx, "views", 0) // OK: an overwrite, not an increment
	restate.Clear(ctx, "recorded_views")
	restate.Clear(ctx, "total_views")
	recordAudit("reset", req.By, ctx)
	return nil
}

// recordAudit takes the handler context as its last parameter: it is part of the
// handler and is reported on its own lines.
func recordAudit(action, by string, ctx restate.ObjectContext) {
	entry := AuditEntry{Action: action, By: by}
	entry.At = time.Now() // BUG(walltime): the state value written below differs on replay
	restate.Set(ctx, "last_admin_action", entry)
}
