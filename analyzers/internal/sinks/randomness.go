package sinks

import "slices"

// Rows of the randomness rule: draws from a global or OS source, and
// random ID generators. Constructors that draw nothing (rand.New,
// NewSource, NewPCG, NewChaCha8, NewZipf), deterministic IDs (uuid.NewSHA1,
// NewMD5, gofrs NewV3/NewV5) and parsers are absent.
func init() {
	mathRand := []string{"ExpFloat64", "Float32", "Float64", "Int", "Int31", "Int31n", "Int63", "Int63n",
		"Intn", "NormFloat64", "Perm", "Read", "Shuffle", "Uint32", "Uint64"}
	mathRandV2 := []string{"ExpFloat64", "Float32", "Float64", "Int", "Int32", "Int32N", "Int64", "Int64N",
		"IntN", "N", "NormFloat64", "Perm", "Shuffle", "Uint", "Uint32", "Uint32N", "Uint64", "Uint64N", "UintN"}
	// Draws that return their value are value-only: one that only sizes a
	// durable timer (restate.Sleep(ctx, time.Duration(rand.Intn(5))*time.Second))
	// or is only logged changes no journal entry. Shuffle and Read act on
	// their arguments.
	valueDraws := func(names []string) []string {
		return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "Shuffle" || n == "Read" })
	}
	add(
		&Sink{Rule: "randomness", Pkg: "math/rand", Names: valueDraws(mathRand), Fix: "rand", ValueOnly: true},
		&Sink{Rule: "randomness", Pkg: "math/rand", Names: []string{"Read", "Shuffle"}, Fix: "rand"},
		&Sink{Rule: "randomness", Pkg: "math/rand/v2", Names: valueDraws(mathRandV2), Fix: "rand", ValueOnly: true},
		&Sink{Rule: "randomness", Pkg: "math/rand/v2", Names: []string{"Shuffle"}, Fix: "rand"},
		// A package-level generator is shared, concurrently consumed state.
		&Sink{Rule: "randomness", Pkg: "math/rand", Recv: "Rand", When: PkgLevelReceiver},
		&Sink{Rule: "randomness", Pkg: "math/rand/v2", Recv: "Rand", When: PkgLevelReceiver},
		&Sink{Rule: "randomness", Pkg: "crypto/rand", Names: []string{"Read", "Int", "Prime", "Text", "Reader"}},

		&Sink{Rule: "randomness", Pkg: "github.com/google/uuid", Names: []string{"New", "NewString"}, Fix: "uuid"},
		&Sink{Rule: "randomness", Pkg: "github.com/google/uuid", Names: []string{"NewRandom", "NewV7", "NewV6",
			"NewUUID", "NewDCEGroup", "NewDCEPerson", "NewDCESecurity", "NewRandomFromReader"}},
	)
	for _, p := range []string{"github.com/gofrs/uuid", "github.com/gofrs/uuid/v3", "github.com/gofrs/uuid/v4", "github.com/gofrs/uuid/v5"} {
		add(
			&Sink{Rule: "randomness", Pkg: p, Names: []string{"NewV1", "NewV4", "NewV6", "NewV7"}},
			&Sink{Rule: "randomness", Pkg: p, Recv: "Gen", Names: []string{"NewV1", "NewV4", "NewV6", "NewV7"}},
		)
	}
	for _, p := range []string{"github.com/oklog/ulid", "github.com/oklog/ulid/v2"} {
		add(
			&Sink{Rule: "randomness", Pkg: p, Names: []string{"Make", "MustNewDefault", "DefaultEntropy", "Monotonic"}},
			&Sink{Rule: "randomness", Pkg: p, Names: []string{"New", "MustNew"}, When: SecondArgNotNil},
		)
	}
	add(
		&Sink{Rule: "randomness", Pkg: "github.com/segmentio/ksuid", Names: []string{"New", "NewRandom", "NewRandomWithTime"}},
		&Sink{Rule: "randomness", Pkg: "github.com/rs/xid", Names: []string{"New", "NewWithTime"}},
	)
	for _, p := range []string{"github.com/matoous/go-nanoid", "github.com/matoous/go-nanoid/v2", "github.com/aidarkhanov/nanoid", "github.com/aidarkhanov/nanoid/v2"} {
		add(&Sink{Rule: "randomness", Pkg: p, Names: []string{"New", "Generate", "Must", "MustGenerate"}})
	}
	add(&Sink{Rule: "randomness", Pkg: "github.com/jaevor/go-nanoid", Names: []string{"Standard", "Canonic", "CustomASCII", "CustomUnicode"}})
	// samber/lo draws from math/rand/v2's global source (its internal
	// xrand); SampleBy/SamplesBy take the generator from the caller.
	add(
		&Sink{Rule: "randomness", Family: FamGlobalSource, Pkg: "github.com/samber/lo", Names: []string{"Shuffle", "Sample", "Samples", "RandomString"}},
		&Sink{Rule: "randomness", Family: FamGlobalSource, Pkg: "github.com/samber/lo/mutable", Names: []string{"Shuffle"}},
	)
}

// FamGlobalSource marks library functions that draw from math/rand's
// global source on the caller's behalf (lo.Shuffle): messages name the
// source, not a random ID.
const FamGlobalSource = "global random source"
