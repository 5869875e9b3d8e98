// Package payment is the PaymentService: it charges cards, waits for settlement and
// refunds through an external card processor (see provider.go).
package payment

import (
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	restate "github.com/restatedev/sdk-go"
)

// ChargeRequest asks for one card charge.
type ChargeRequest struct {
	OrderID     string `json:"orderId"`
	Card        string `json:"card"`
	AmountCents int64  `json:"amountCents"`
}

// ChargeResult identifies a charge at the provider.
type ChargeResult struct {
	ChargeID  string `json:"chargeId"`
	Reference string `json:"reference"`
}

// RefundRequest returns (part of) a charge.
type RefundRequest struct {
	ChargeID    string `json:"chargeId"`
	AmountCents int64  `json:"amountCents"`
}

// Service is registered with restate.Reflect; every exported method taking a
// restate.Context is a handler.
type Service struct {
	provider *Provider
}

// NewService returns the PaymentService backed by provider.
func NewService(provider *Provider) *Service { return &Service{provider: provider} }

// ServiceName names the service "PaymentService" instead of "Service".
func (*Service) ServiceName() string { return "PaymentService" }

// Charge charges the card once per invocation.
func (s *Service) Charge(ctx restate.Context, req ChargeRequest) (ChargeResult, error) {
	start := time.Now()           // OK: the value is only used for latency logging below
	reference := uuid.NewString() // BUG(randomness): a new reference on every execution: the output changes on replay and the provider can't dedupe the charge
	chargeID, err := restate.Run(ctx, func(ctx restate.RunContext) (string, error) {
		return s.provider.Charge(ctx, reference, req.Card, req.AmountCents) // OK: I/O inside restate.Run, with the closure's own context
	}, restate.WithName("charge card"))
	if err != nil {
		return ChargeResult{}, err
	}
	ctx.Log().Info("card charged", "order", req.OrderID, "charge", chargeID, "latency", time.Since(start)) // OK: latency logging changes no journal entry
	return ChargeResult{ChargeID: chargeID, Reference: reference}, nil
}

// Refund returns money to the card. The provider rate-limits refunds, hence the pause.
func (s *Service) Refund(ctx restate.Context, req RefundRequest) error {
	time.Sleep(500 * time.Millisecond)                                            // BUG(walltime): not durable: blocks again on every replay and never suspends; use restate.Sleep
	if err := s.provider.Refund(ctx, req.ChargeID, req.AmountCents); err != nil { // BUG(sideeffect): HTTP call outside restate.Run: every retry of the invocation refunds again
		return err
	}
	ctx.Log().Info("refund issued", "charge", req.ChargeID, "amount", req.AmountCents)
	return nil
}

// AwaitSettlement polls the provider until the charge is no longer pending.
func (s *Service) AwaitSettlement(ctx restate.Context, chargeID string) (string, error) {
	jitter := rand.New(rand.NewPCG(1, 2)) // OK: local generator with a constant seed: the same delays on replay
	for attempt := range 6 {
		status, err := restate.Run(ctx, func(runCtx restate.RunContext) (string, error) {
			return s.provider.Status(ctx, chargeID) // BUG(runcontext): the handler's ctx instead of runCtx inside Run
		}, restate.WithName("poll settlement"))
		if err != nil {
			return "", err
		}
		if status != "pending" {
			return status, nil
		}
		delay := time.Second<<attempt + time.Duration(jitter.IntN(250))*time.Millisecond // OK: time.Duration math and a local generator
		if err := restate.Sleep(ctx, delay); err != nil {
			return "", err
		}
	}
	return "", restate.TerminalErrorf("charge %s is still pending", chargeID)
}

// Receipt returns the customer-facing receipt link of a charge.
func (s *Service) Receipt(ctx restate.Context, chargeID string) (string, error) {
	var link string
	err := restate.RunVoid(ctx, func(ctx restate.RunContext) error {
		url, err := s.provider.ReceiptURL(ctx, chargeID)
		link = url // BUG(runcapture): skipped on replay: link stays "" when the handler resumes after this step
		return err
	}, restate.WithName("fetch receipt"))
	if err != nil {
		return "", err
	}
	ctx.Log().Info("receipt ready", "charge", chargeID)
	return link, nil
}

// ServerTime reports this deployment's clock, to diagnose clock skew.
func (*Service) ServerTime(ctx restate.Context) (time.Time, error) {
	return time.Now(), nil // OK: the clock value is only the handler's output, written once
}
