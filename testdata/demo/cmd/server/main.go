// Command server serves the demo's Restate services over HTTP/2. Register it with a
// Restate server: restate deployments register http://localhost:9080
package main

import (
	"context"
	"log"
	"os"
	"os/signal"

	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/server"

	"example.com/demo/counter"
	"example.com/demo/inventory"
	"example.com/demo/notify"
	"example.com/demo/order"
	"example.com/demo/payment"
)

func main() {
	// Configuration is read once at startup, outside any handler.
	provider := payment.NewProvider(getenv("PAYMENTS_URL", "http://localhost:8088"))
	addr := getenv("LISTEN_ADDR", ":9080")

	srv := server.NewRestate().
		Bind(restate.Reflect(order.Saga{})).
		Bind(restate.Reflect(payment.NewService(provider))).
		Bind(restate.Reflect(inventory.Inventory{})).
		Bind(restate.Reflect(counter.PageViews{})).
		Bind(notify.Definition())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := srv.Start(ctx, addr); err != nil {
		log.Fatal(err)
	}
}

func getenv(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}
