package gen

// This file holds the helper templates shared by the platform and store
// layers: string and integer helpers that call helpers of imported
// packages, the impure "source" helpers, and a small registry type. The
// including package must declare Defaults (see optionsDecl).

// optionsDecl declares the package's tunables, used by several templates.
func optionsDecl(p *pkg, f *file) {
	f.printf(`// Options tunes the helpers in this package; binaries may override
// Defaults at startup, before serving.
type Options struct {
	Prefix string
	Limit  int
	Base   int64
}

// Defaults is the configuration used unless a binary overrides it.
var Defaults = Options{Prefix: %q, Limit: %d, Base: %d}

`, p.name[:min(3, len(p.name))], 16+p.rng.IntN(112), 50+p.rng.Int64N(450))
	p.names["Options"], p.names["Defaults"] = true, true
}

// strHelper emits an exported func(string) string.
func strHelper(p *pkg, f *file) {
	u := p.unit(f)
	x := p.rng.IntN(6)
	strs := ""
	if x != 5 {
		strs = f.std("strings")
	}
	switch x {
	case 0:
		name := p.uniqueFrom("Slug", "Key", "Handle", "Token", "Ident")
		inner := u.same(kStr, nil, "b.String()", pImpureHelper, false)
		f.printf(`// %[1]s lowercases s and keeps only characters that are safe in keys
// and URLs.
func %[1]s(s string) string {
	var b %[2]s.Builder
	b.Grow(len(s))
	for _, r := range %[2]s.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ', r == '_', r == '-':
			b.WriteByte('-')
		}
	}
	return %[3]s
}

`, name, strs, inner)
		u.register(name, kStr, nil)
	case 1:
		name := p.uniqueFrom("Clip", "Truncate", "Shorten", "Limit")
		inner := u.same(kStr, nil, "s", pImpureHelper, false)
		f.printf(`// %[1]s trims s to the configured limit and adds the package prefix.
func %[1]s(s string) string {
	s = %[2]s.TrimSpace(s)
	if len(s) > Defaults.Limit {
		s = s[:Defaults.Limit]
	}
	return %[3]s.Sprintf("%%s:%%s", Defaults.Prefix, %[4]s)
}

`, name, strs, f.std("fmt"), inner)
		u.register(name, kStr, nil)
	case 2:
		name := p.uniqueFrom("Mask", "Redact", "Obscure", "Hide")
		inner := u.assign("s", kStr, nil, "s", pImpureHelper, false)
		f.printf(`// %[1]s hides all but the last four characters of s, for logs.
func %[1]s(s string) string {
	%[3]s
	if len(s) <= 4 {
		return %[2]s.Repeat("*", len(s))
	}
	return %[2]s.Repeat("*", len(s)-4) + s[len(s)-4:]
}

`, name, strs, inner)
		u.register(name, kStr, nil)
	case 3:
		name := p.uniqueFrom("Label", "Tagline", "Caption", "Annotate")
		inner := u.same(kInt, nil, "int64(i)", pImpureHelper, false)
		f.printf(`// %[1]s rewrites a comma-separated list as a numbered, pipe-separated
// label.
func %[1]s(s string) string {
	parts := %[2]s.Split(s, ",")
	out := make([]string, 0, len(parts))
	for i, part := range parts {
		part = %[2]s.TrimSpace(part)
		if part == "" {
			continue
		}
		out = append(out, part+"#"+%[3]s.FormatInt(%[4]s, 10))
	}
	return %[2]s.Join(out, "|")
}

`, name, strs, f.std("strconv"), inner)
		u.register(name, kStr, nil)
	case 4:
		name := p.uniqueFrom("Title", "Headline", "Pretty", "Display")
		inner := u.same(kStr, nil, "s", pImpureHelper, false)
		f.printf(`// %[1]s capitalises the first letter of each word.
func %[1]s(s string) string {
	words := %[2]s.Fields(%[3]s)
	for i, w := range words {
		words[i] = %[2]s.ToUpper(w[:1]) + w[1:]
	}
	return %[2]s.Join(words, " ")
}

`, name, strs, inner)
		u.register(name, kStr, nil)
	default:
		name := p.uniqueFrom("Envelope", "Wrap", "Document", "Payload")
		inner := u.same(kStr, nil, "s", pImpureHelper, false)
		f.printf(`// %[1]s wraps s in the small JSON document the audit log expects.
func %[1]s(s string) string {
	doc := struct {
		Value string `+"`json:\"value\"`"+`
		Size  int    `+"`json:\"size\"`"+`
	}{Value: %[3]s, Size: len(s)}
	data, err := %[2]s.Marshal(doc)
	if err != nil {
		return s
	}
	return string(data)
}

`, name, f.std("encoding/json"), inner)
		u.register(name, kStr, nil)
	}
}

// intHelper emits an exported func(int64) int64.
func intHelper(p *pkg, f *file) {
	u := p.unit(f)
	switch p.rng.IntN(6) {
	case 0:
		name := p.uniqueFrom("Checksum", "DigitSum", "Parity", "Fold")
		inner := u.same(kInt, nil, "sum", pImpureHelper, false)
		f.printf(`// %[1]s folds the decimal digits of n, for short check codes.
func %[1]s(n int64) int64 {
	if n < 0 {
		n = -n
	}
	var sum int64
	for n > 0 {
		sum += n %% 10
		n /= 10
	}
	return %[2]s
}

`, name, inner)
		u.register(name, kInt, nil)
	case 1:
		name := p.uniqueFrom("Clamp", "Bound", "Cap", "Saturate")
		inner := u.assign("n", kInt, nil, "n", pImpureHelper, false)
		lo := p.rng.Int64N(10)
		f.printf(`// %[1]s keeps n inside the range downstream systems accept.
func %[1]s(n int64) int64 {
	const lo, hi = %[2]d, %[3]d
	%[4]s
	switch {
	case n < lo:
		return lo
	case n > hi:
		return hi
	}
	return n
}

`, name, lo, lo+1000+p.rng.Int64N(1_000_000), inner)
		u.register(name, kInt, nil)
	case 2:
		name := p.uniqueFrom("Weight", "Width", "Cost", "Penalty")
		inner := u.same(kStr, nil, f.std("strconv")+".FormatInt(n, 10)", pImpureHelper, false)
		f.printf(`// %[1]s derives a cost from the printed form of n.
func %[1]s(n int64) int64 {
	s := %[2]s
	return int64(len(s))*%[3]d + n%%%[4]d
}

`, name, inner, 2+p.rng.IntN(20), 7+p.rng.IntN(90))
		u.register(name, kInt, nil)
	case 3:
		name := p.uniqueFrom("Backoff", "Delay", "Spacing", "Interval")
		inner := u.same(kInt, nil, "d", pImpureHelper, false)
		f.printf(`// %[1]s is the exponential backoff in milliseconds for attempt n,
// capped at ten doublings.
func %[1]s(n int64) int64 {
	d := Defaults.Base
	for i := int64(0); i < n && i < 10; i++ {
		d *= 2
	}
	return %[2]s
}

`, name, inner)
		u.register(name, kInt, nil)
	case 4:
		name := p.uniqueFrom("Round", "Quantize", "Bucket", "Step")
		inner := u.same(kInt, nil, "n", pImpureHelper, false)
		step := 5 * (1 + p.rng.IntN(40))
		f.printf(`// %[1]s rounds n to the nearest multiple of %[2]d.
func %[1]s(n int64) int64 {
	const step = %[2]d
	if r := n %% step; r >= step/2 {
		n += step - r
	} else {
		n -= r
	}
	return %[3]s
}

`, name, step, inner)
		u.register(name, kInt, nil)
	default:
		name := p.uniqueFrom("Percent", "Ratio", "Share", "Portion")
		inner := u.same(kInt, nil, "n", pImpureHelper, false)
		f.printf(`// %[1]s returns %[2]d%% of n, rounded half away from zero.
func %[1]s(n int64) int64 {
	v := float64(%[3]s) * %[2]d / 100
	return int64(%[4]s.Round(v))
}

`, name, 1+p.rng.IntN(99), inner, f.std("math"))
		u.register(name, kInt, nil)
	}
}

// sourceHelper emits an exported helper that is nondeterministic on its
// own: the leaves of the call chains restatelint must follow.
func sourceHelper(p *pkg, f *file) {
	u := p.unit(f)
	switch p.rng.IntN(6) {
	case 0:
		u.sources = srcClock
		name := p.uniqueFrom("ExpiresAt", "Deadline", "DueAt")
		t := f.std("time")
		f.printf(`// %[1]s returns the Unix time n seconds from now.
func %[1]s(n int64) int64 {
	return %[2]s.Now().Add(%[2]s.Duration(n) * %[2]s.Second).Unix()
}

`, name, t)
		u.register(name, kInt, nil)
	case 1:
		u.sources = srcEnv
		name := p.uniqueFrom("FromEnv", "EnvOr", "Setting")
		f.printf(`// %[1]s returns the environment override for s, or s itself.
func %[1]s(s string) string {
	if v := %[2]s.Getenv("%[4]s_" + %[3]s.ToUpper(s)); v != "" {
		return v
	}
	return s
}

`, name, f.std("os"), f.std("strings"), upper(p.name))
		u.register(name, kStr, nil)
	case 2:
		u.sources = srcRand
		name := p.uniqueFrom("Jitter", "Spread", "Noise")
		f.printf(`// %[1]s adds up to 10%% random jitter to n so that retries do not align.
func %[1]s(n int64) int64 {
	return n + %[2]s.Int64N(n/10+1)
}

`, name, f.std("math/rand/v2"))
		u.register(name, kInt, nil)
	case 3:
		u.sources = srcRand
		name := p.uniqueFrom("Sample", "Pick", "Lottery")
		f.printf(`// %[1]s returns n or zero, keeping roughly one value in ten.
func %[1]s(n int64) int64 {
	if %[2]s.Intn(10) == 0 {
		return n
	}
	return 0
}

`, name, f.std("math/rand"))
		u.register(name, kInt, nil)
	case 4:
		u.sources = srcUUID
		name := p.uniqueFrom("RequestID", "TraceID", "NewToken")
		f.printf(`// %[1]s returns s suffixed with a fresh random UUID.
func %[1]s(s string) string {
	return s + "-" + %[2]s.NewString()
}

`, name, f.std("github.com/google/uuid"))
		u.register(name, kStr, nil)
	default:
		u.sources = srcClock
		name := p.uniqueFrom("Stamp", "Timestamped", "Dated")
		t := f.std("time")
		f.printf(`// %[1]s appends the current UTC time to s.
func %[1]s(s string) string {
	return s + "@" + %[2]s.Now().UTC().Format(%[2]s.RFC3339)
}

`, name, t)
		u.register(name, kStr, nil)
	}
}

// registryType emits a mutex-guarded counter type with a stable snapshot.
func registryType(p *pkg, f *file) {
	u := p.unit(f)
	name := p.uniqueFrom("Registry", "Tally", "Counter", "Census")
	key := u.same(kStr, nil, "key", pImpureHelper, false)
	f.printf(`// %[1]s counts how often each key was seen. Snapshot returns the
// counts in key order so that callers can journal it deterministically.
type %[1]s struct {
	mu     %[2]s.Mutex
	counts map[string]int
}

// Observe counts one occurrence of key.
func (r *%[1]s) Observe(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts == nil {
		r.counts = make(map[string]int)
	}
	r.counts[%[3]s]++
}

// Snapshot returns "key=count" entries sorted by key.
func (r *%[1]s) Snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.counts))
	for k := range r.counts {
		keys = append(keys, k)
	}
	%[4]s.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = %[5]s.Sprintf("%%s=%%d", k, r.counts[k])
	}
	return out
}

`, name, f.std("sync"), key, f.std("sort"), f.std("fmt"))
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// typeOf is the qualified main type of domain d as seen from f.
func typeOf(f *file, d *pkg) string { return f.use(d) + d.title }

// domHelper emits an exported helper over domain d's main type (d is the
// package itself for domain packages, the primary domain for stores).
func domHelper(p *pkg, f *file, d *pkg) {
	u := p.unit(f)
	t := typeOf(f, d)
	q := f.use(d)
	switch p.rng.IntN(6) {
	case 0:
		name := p.uniqueFrom("Fingerprint", "CacheKey", "Digest", "RouteKey")
		inner := u.same(kStr, nil, "v.Name", pImpureHelper, false)
		f.printf(`// %[1]s returns a stable short identifier for v, used as a cache key.
func %[1]s(v %[2]s) string {
	h := %[3]s.New64a()
	h.Write([]byte(v.ID))
	for _, tag := range v.Tags {
		h.Write([]byte(tag))
	}
	return %[4]s.Sprintf("%%s-%%x", %[5]s, h.Sum64())
}

`, name, t, f.std("hash/fnv"), f.std("fmt"), inner)
		u.register(name, kDomStr, d)
	case 1:
		name := p.uniqueFrom("Describe", "DisplayName", "Headline", "Summarize")
		s := u.same(kStr, nil, "v.Name", pImpureHelper, false)
		n := u.same(kInt, nil, "v.Amount", pImpureHelper, false)
		f.printf(`// %[1]s renders v for log lines and notifications.
func %[1]s(v %[2]s) string {
	return %[3]s.Sprintf("%%s %%q [%%s] amount=%%d", v.ID, %[4]s, v.Status, %[5]s)
}

`, name, t, f.std("fmt"), s, n)
		u.register(name, kDomStr, d)
	case 2:
		name := p.uniqueFrom("Priority", "Score", "Rank", "Urgency")
		inner := u.same(kInt, nil, "score", pImpureHelper, false)
		f.printf(`// %[1]s scores v for ordering work queues; higher runs first.
func %[1]s(v %[2]s) int64 {
	score := v.Amount + int64(len(v.Items))*%[4]d
	for _, it := range v.Items {
		score += it.Quantity
	}
	if v.Status == %[3]sStatusActive {
		score *= 2
	}
	return %[5]s
}

`, name, t, q, 2+p.rng.IntN(30), inner)
		u.register(name, kDomInt, d)
	case 3:
		name := p.uniqueFrom("Footprint", "Volume", "Size", "Mass")
		inner := u.same(kInt, nil, "v.Total()", pImpureHelper, false)
		f.printf(`// %[1]s estimates the stored size of v; the sum does not depend on
// map order.
func %[1]s(v %[2]s) int64 {
	var n int64
	for k, val := range v.Attrs {
		n += int64(len(k) + len(val))
	}
	return %[3]s + n
}

`, name, t, inner)
		u.register(name, kDomInt, d)
	case 4:
		name := p.uniqueFrom("Canonical", "Sanitize", "Tidy", "Compact")
		inner := u.assign("v.Name", kStr, nil, "v.Name", pImpureHelper, false)
		strs := f.std("strings")
		sl := f.std("slices")
		f.printf(`// %[1]s returns v with its name and tags in canonical form.
func %[1]s(v %[2]s) %[2]s {
	%[3]s
	tags := make([]string, 0, len(v.Tags))
	for _, tag := range v.Tags {
		if tag = %[4]s.TrimSpace(tag); tag != "" {
			tags = append(tags, %[4]s.ToLower(tag))
		}
	}
	%[5]s.Sort(tags)
	v.Tags = %[5]s.Compact(tags)
	return v
}

`, name, t, inner, strs, sl)
		u.register(name, kDomDom, d)
	default:
		name := p.uniqueFrom("Enrich", "Annotated", "Derive", "Complete")
		key := u.call(kDomStr, d, "v", "v.ID", pImpureHelper, false)
		amt := u.assign("v.Amount", kInt, nil, "v.Amount", pImpureHelper, false)
		f.printf(`// %[1]s fills in the derived fields of v.
func %[1]s(v %[2]s) %[2]s {
	if v.Attrs == nil {
		v.Attrs = make(map[string]string)
	}
	v.Attrs["key"] = %[3]s
	%[4]s
	return v
}

`, name, t, key, amt)
		u.register(name, kDomDom, d)
	}
}
