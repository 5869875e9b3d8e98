// Package order is the OrderSaga workflow: reserve stock, charge the card, ship, wait
// for the delivery confirmation, and undo the completed steps when a later one fails.
package order

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	restate "github.com/restatedev/sdk-go"

	"example.com/demo/notify"
	"example.com/demo/payment"
	"example.com/demo/shipping"
)

// Order is the workflow's input and its durable state.
type Order struct {
	ID          string         `json:"id"`
	CustomerID  string         `json:"customerId"`
	Card        string         `json:"card"`
	Items       map[string]int `json:"items"` // SKU → quantity
	AmountCents int64          `json:"amountCents"`
	Status      string         `json:"status"`
	PlacedAt    time.Time      `json:"placedAt"`
	DeliveredAt time.Time      `json:"deliveredAt"`
	ChargeID    string         `json:"chargeId,omitempty"`
	ShipmentID  string         `json:"shipmentId,omitempty"`
	Tracking    string         `json:"tracking,omitempty"`
}

var carriers = []string{"dhl", "ups", "fedex"}

// Saga is registered with restate.Reflect. The workflow ID is the order ID.
type Saga struct{}

// ServiceName names the workflow "OrderSaga" instead of "Saga".
func (Saga) ServiceName() string { return "OrderSaga" }

// Run executes once per workflow ID.
func (Saga) Run(ctx restate.WorkflowContext, o Order) (Order, error) {
	orderID := restate.Key(ctx)
	o.ID = orderID
	o.Status = "placed"
	o.PlacedAt = time.Now() // BUG(walltime): stored in state below: the value written differs on replay
	restate.Set(ctx, "order", o)

	// Each completed step pushes its undo action; on failure they run in reverse.
	var compensations []func()
	fail := func(cause error) (Order, error) {
		for _, undo := range slices.Backward(compensations) {
			undo()
		}
		o.Status = "cancelled"
		restate.Set(ctx, "order", o)
		return o, restate.TerminalErrorf("order %s cancelled: %v", o.ID, cause)
	}

	// 1. Reserve stock for every line, in parallel.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		errs     []error
		reserved = map[string]int{}
	)
	for _, sku := range slices.Sorted(maps.Keys(o.Items)) { // OK: sorted key list
		wg.Go(func() { // BUG(concurrency): the handler context is not goroutine-safe and the journal order of the calls is racy
			_, err := restate.Object[int](ctx, "Inventory", sku, "Reserve").
				Request(o.Items[sku], restate.WithIdempotencyKey(orderID+"/reserve/"+sku))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			reserved[sku] = o.Items[sku]
		})
	}
	wg.Wait()
	compensations = append(compensations, func() {
		for sku, qty := range reserved { // BUG(maporder): map order differs between executions, and so does the order of the sends below
			restate.ObjectSend(ctx, "Inventory", sku, "Release").Send(qty, restate.WithIdempotencyKey(orderID+"/release/"+sku))
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fail(err)
	}

	// 2. Charge the card. The key makes a re-sent call the same call.
	chargeReq := payment.ChargeRequest{OrderID: orderID, Card: o.Card, AmountCents: o.AmountCents}
	charge, err := restate.Service[payment.ChargeResult](ctx, "PaymentService", "Charge").Request(chargeReq, restate.WithIdempotencyKey(orderID+"/charge")) // OK: key derived from the workflow ID
	if err != nil {
		return fail(err)
	}
	o.ChargeID = charge.ChargeID
	compensations = append(compensations, func() {
		refund := payment.RefundRequest{ChargeID: charge.ChargeID, AmountCents: o.AmountCents}
		restate.ServiceSend(ctx, "PaymentService", "Refund").Send(refund, restate.WithIdempotencyKey(orderID+"/refund"))
	})

	// 3. Book the shipment.
	carrier := carriers[restate.Rand(ctx).IntN(len(carriers))]                           // OK: Restate's deterministic generator
	o.ShipmentID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("shipment:"+orderID)).String() // OK: name-based UUID, the same on every execution
	o.Tracking = shipping.NewTrackingNumber(carrier)                                     // BUG(randomness): calls NewTrackingNumber → trackingSuffix → uuid.New: a different number on replay
	label := shipping.NewLabel(o.ID, carrier, o.Tracking)                                // BUG(walltime): calls NewLabel → printedAt → time.Now
	endpoint := shipping.CarrierEndpoint(carrier)                                        // BUG(sideeffect): calls CarrierEndpoint → endpointFromEnv → os.Getenv: configuration read outside Run may differ on replay
	if err := restate.RunVoid(ctx, func(ctx restate.RunContext) error {
		return shipping.Book(ctx, endpoint, label) // OK: HTTP inside restate.RunVoid
	}, restate.WithName("book shipment")); err != nil {
		return fail(err)
	}
	o.Status = "shipped"
	restate.Set(ctx, "order", o)

	msgID := restate.UUID(ctx).String() // OK: deterministic per invocation
	shipped := notify.Message{ID: msgID, Subject: "Your order has shipped", Body: "Tracking number: " + o.Tracking}
	restate.ObjectSend(ctx, "Inbox", o.CustomerID, "Deliver").Send(shipped, restate.WithIdempotencyKey("order-shipped")) // BUG(idempotencykey): constant key: the customer's next order notification is dropped as a duplicate

	// 4. Wait for the carrier's delivery confirmation (see ConfirmDelivery).
	proof, err := restate.Promise[string](ctx, "delivered").Result()
	if err != nil {
		return o, err
	}
	o.DeliveredAt, err = restate.Run(ctx, func(ctx restate.RunContext) (time.Time, error) {
		return time.Now(), nil // OK: inside restate.Run: the recorded value is replayed
	}, restate.WithName("delivered at"))
	if err != nil {
		return o, err
	}
	o.Status = "delivered"
	restate.Set(ctx, "order", o)
	ctx.Log().Info("order delivered", "order", o.ID, "proof", proof, "at", o.DeliveredAt.Format(time.RFC3339)) // OK: a method on a journaled time.Time
	return o, nil
}

// ConfirmDelivery is called by the carrier's webhook.
func (Saga) ConfirmDelivery(ctx restate.WorkflowSharedContext, proof string) error {
	return restate.Promise[string](ctx, "delivered").Resolve(proof)
}

// Status returns the order as last recorded.
func (Saga) Status(ctx restate.WorkflowSharedContext) (Order, error) {
	return restate.Get[Order](ctx, "order")
}
