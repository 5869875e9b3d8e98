// Command client places an order and exercises the other services through Restate's
// ingress (http://localhost:8080 by default).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strconv"
	"time"

	"github.com/google/uuid"
	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/ingress"

	"example.com/demo/order"
	"example.com/demo/payment"
)

// refundSeq numbers this process's refund requests.
var refundSeq int

func main() {
	ingressURL := flag.String("ingress", "http://localhost:8080", "Restate ingress address")
	page := flag.String("page", "/index.html", "page whose view is recorded")
	flag.Parse()

	client := ingress.NewClient(*ingressURL)
	ctx := context.Background()

	// Place an order. Workflow submissions are deduplicated by the workflow ID.
	o := order.Order{
		CustomerID:  "customer-42",
		Card:        "tok_visa",
		Items:       map[string]int{"sku-mug": 2, "sku-tee": 1},
		AmountCents: 4200,
	}
	orderID := "order-" + uuid.NewString()
	if _, err := ingress.WorkflowSend[order.Order](client, "OrderSaga", orderID, "Run").Send(ctx, o); err != nil { // OK: workflow Run submission
		log.Fatal(err)
	}

	// Charge a card with a hand-written retry loop.
	charge := ingress.Service[payment.ChargeRequest, payment.ChargeResult](client, "PaymentService", "Charge")
	req := payment.ChargeRequest{OrderID: orderID, Card: o.Card, AmountCents: 500}
	var res payment.ChargeResult
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		res, err = charge.Request(ctx, req) // BUG(idempotencykey): each retry after a timeout is a new invocation: the card is charged again
		if err == nil {
			break
		}
		log.Printf("charge attempt %d: %v", attempt, err)
		time.Sleep(time.Duration(attempt) * time.Second) // OK: client code, not a handler
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("charged:", res.ChargeID)

	// Refund half of it.
	refundSeq++
	refund := payment.RefundRequest{ChargeID: res.ChargeID, AmountCents: 250}
	_, err = ingress.Service[payment.RefundRequest, restate.Void](client, "PaymentService", "Refund").Request(ctx, refund, restate.WithIdempotencyKey("refund-"+strconv.Itoa(refundSeq))) // BUG(idempotencykey): sequential key: the next run of this client sends "refund-1" again and its refund is dropped
	if err != nil {
		log.Fatal(err)
	}

	// Record a page view. One key, made before the loop, covers every retry.
	viewID := uuid.NewString() // OK: client code
	record := ingress.Object[string, int](client, "PageViews", *page, "RecordOnce")
	for attempt := 1; attempt <= 3; attempt++ {
		var views int
		views, err = record.Request(ctx, viewID, restate.WithIdempotencyKey(viewID)) // OK: one key for all attempts
		if err == nil {
			fmt.Println("views:", views)
			return
		}
		time.Sleep(time.Second)
	}
	log.Fatal(err)
}
