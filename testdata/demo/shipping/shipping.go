// Package shipping holds plain helpers used by the order workflow to build and book
// shipments. They take no Restate context: restatelint reports what they do at the
// handler's call site, with the call chain.
package shipping

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Label is what gets printed on the parcel.
type Label struct {
	OrderID   string `json:"orderId"`
	Carrier   string `json:"carrier"`
	Tracking  string `json:"tracking"`
	PrintedAt string `json:"printedAt"`
}

// NewTrackingNumber returns a carrier-prefixed tracking number.
func NewTrackingNumber(carrier string) string {
	return strings.ToUpper(carrier) + "-" + trackingSuffix()
}

func trackingSuffix() string {
	return strings.ToUpper(uuid.New().String()[:8])
}

// NewLabel builds the parcel label.
func NewLabel(orderID, carrier, tracking string) Label {
	return Label{OrderID: orderID, Carrier: carrier, Tracking: tracking, PrintedAt: printedAt()}
}

func printedAt() string {
	return time.Now().UTC().Format(time.RFC3339)
}

// CarrierEndpoint returns the booking API of a carrier, configured per deployment.
func CarrierEndpoint(carrier string) string {
	return endpointFromEnv("CARRIER_" + strings.ToUpper(carrier) + "_URL")
}

func endpointFromEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return "http://localhost:9999"
}

// Book registers the shipment with the carrier. It performs HTTP I/O: call it
// inside restate.Run.
func Book(ctx context.Context, endpoint string, label Label) error {
	body, err := json.Marshal(label)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/shipments", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("carrier %s: %s", label.Carrier, resp.Status)
	}
	return nil
}
