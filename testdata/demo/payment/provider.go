package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Provider is a small client for the (fake) card processor's HTTP API.
// Every method performs network I/O: handlers must call it inside restate.Run.
type Provider struct {
	BaseURL string
	HTTP    *http.Client
}

// NewProvider returns a client for the processor at baseURL.
func NewProvider(baseURL string) *Provider {
	return &Provider{BaseURL: baseURL, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

type chargeCall struct {
	Reference   string `json:"reference"`
	Card        string `json:"card"`
	AmountCents int64  `json:"amount_cents"`
}

type chargeReply struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// Charge asks the processor to charge a card. The processor deduplicates on reference.
func (p *Provider) Charge(ctx context.Context, reference, card string, amountCents int64) (string, error) {
	var reply chargeReply
	err := p.post(ctx, "/v1/charges", chargeCall{Reference: reference, Card: card, AmountCents: amountCents}, &reply)
	return reply.ID, err
}

// Refund returns amountCents of a charge to the card.
func (p *Provider) Refund(ctx context.Context, chargeID string, amountCents int64) error {
	return p.post(ctx, "/v1/charges/"+chargeID+"/refunds", map[string]int64{"amount_cents": amountCents}, nil)
}

// Status returns the settlement status of a charge ("pending", "settled", "failed").
func (p *Provider) Status(ctx context.Context, chargeID string) (string, error) {
	var reply chargeReply
	err := p.get(ctx, "/v1/charges/"+chargeID, &reply)
	return reply.Status, err
}

// ReceiptURL returns the address of the customer-facing receipt of a charge.
func (p *Provider) ReceiptURL(ctx context.Context, chargeID string) (string, error) {
	var reply struct {
		URL string `json:"url"`
	}
	err := p.get(ctx, "/v1/charges/"+chargeID+"/receipt", &reply)
	return reply.URL, err
}

func (p *Provider) post(ctx context.Context, path string, body, out any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.BaseURL+path, bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return p.do(req, out)
}

func (p *Provider) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.BaseURL+path, nil)
	if err != nil {
		return err
	}
	return p.do(req, out)
}

func (p *Provider) do(req *http.Request, out any) error {
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("payment provider: %s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
