// Package inventory is the Inventory virtual object, keyed by SKU.
package inventory

import (
	restate "github.com/restatedev/sdk-go"
)

// Inventory is registered with restate.Reflect.
type Inventory struct{}

// Reserve takes qty units out of stock and returns what is left. Stock changes are
// increments, so a request retried without an idempotency key would apply twice:
// both writers refuse such requests.
func (Inventory) Reserve(ctx restate.ObjectContext, qty int) (int, error) {
	if ctx.Request().IdempotencyKey == "" {
		return 0, restate.TerminalErrorf("inventory changes require an idempotency key")
	}
	stock, err := restate.Get[int](ctx, "stock")
	if err != nil {
		return 0, err
	}
	if stock < qty {
		return stock, restate.TerminalErrorf("sku %s: %d in stock, %d requested", restate.Key(ctx), stock, qty)
	}
	stock -= qty
	restate.Set(ctx, "stock", stock) // OK: the handler refuses requests without an idempotency key
	return stock, nil
}

// Release puts qty units back, e.g. when an order is compensated.
func (Inventory) Release(ctx restate.ObjectContext, qty int) (int, error) {
	if ctx.Request().IdempotencyKey == "" {
		return 0, restate.TerminalErrorf("inventory changes require an idempotency key")
	}
	stock, err := restate.Get[int](ctx, "stock")
	if err != nil {
		return 0, err
	}
	restate.Set(ctx, "stock", stock+qty) // OK: the handler refuses requests without an idempotency key
	return stock + qty, nil
}

// Stock returns the units on hand.
func (Inventory) Stock(ctx restate.ObjectSharedContext) (int, error) {
	return restate.Get[int](ctx, "stock")
}

// SetStock records a stock count from the warehouse.
func (Inventory) SetStock(ctx restate.ObjectContext, units int) error {
	restate.Set(ctx, "stock", units) // OK: an overwrite, not an increment
	return nil
}

// Audit records a recount through SetStock.
func (Inventory) Audit(ctx restate.ObjectContext, counted int) error {
	_, err := restate.Object[restate.Void](ctx, "Inventory", restate.Key(ctx), "SetStock").Request(counted) // BUG(deadlock): Audit holds this SKU's lock and awaits SetStock, which waits for that lock
	return err
}
