package payment

import (
	"fmt"

	restate "github.com/restatedev/sdk-go"
)

// Authorize checks a charge before the order commits to it.
func (s *Service) Authorize(ctx restate.Context, req ChargeRequest) error {
	if req.AmountCents <= 0 {
		return fmt.Errorf("amount must be positive, got %d", req.AmountCents) // BUG(terminalerror): retried forever with backoff: no retry makes the amount positive
	}
	return nil
}
