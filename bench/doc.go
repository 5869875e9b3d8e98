// Package bench holds the restatelint performance benchmark:
//
//   - gen generates a realistic Restate code base (library in gen/gen);
//   - cmd/floor is the type-check floor: restatelint's driver with a no-op
//     analyzer;
//   - harness builds both binaries and times them at full size (400
//     packages, 170k lines) against the 1.3x budget.
//
// The Go benchmarks in this package compare the two binaries on a code
// base a tenth of that size, so that benchstat can show them side by side:
//
//	go test -run '^$' -bench . -count 10 ./bench | tee new.txt
//	benchstat new.txt
//
// See docs/performance.md.
package bench
