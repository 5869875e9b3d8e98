// Package notify is the Inbox virtual object, keyed by customer ID. Its handlers are
// inline function literals given to restate.NewObjectHandler.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"

	restate "github.com/restatedev/sdk-go"
)

// Message is one customer notification.
type Message struct {
	ID      string `json:"id"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Variant int    `json:"variant"` // e-mail template variant, for A/B tests
}

// Definition returns the Inbox service definition.
func Definition() restate.ServiceDefinition {
	return restate.NewObject("Inbox").
		Handler("Deliver", restate.NewObjectHandler(func(ctx restate.ObjectContext, msg Message) (int, error) {
			inbox, err := restate.Get[[]Message](ctx, "messages")
			if err != nil {
				return 0, err
			}
			msg.Variant = rand.IntN(2) // BUG(randomness): global source: the message stored below differs on replay
			inbox = append(inbox, msg)
			restate.Set(ctx, "messages", inbox) // BUG(statecounter): append to the value read from "messages": a duplicate request stores the message twice
			customer := restate.Key(ctx)
			if err := restate.RunVoid(ctx, func(ctx restate.RunContext) error {
				return sendEmail(ctx, customer, msg) // OK: code reached only from a run zone
			}, restate.WithName("send e-mail")); err != nil {
				return 0, err
			}
			return len(inbox), nil
		})).
		Handler("List", restate.NewObjectSharedHandler(func(ctx restate.ObjectSharedContext, _ restate.Void) ([]Message, error) {
			return restate.Get[[]Message](ctx, "messages")
		}))
}

// sendEmail hands the message to the mail API.
func sendEmail(ctx context.Context, customerID string, msg Message) error {
	body, err := json.Marshal(map[string]any{"customer": customerID, "message": msg})
	if err != nil {
		return err
	}
	url := os.Getenv("MAIL_API_URL") + "/send"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("mail API: %s", resp.Status)
	}
	return nil
}
