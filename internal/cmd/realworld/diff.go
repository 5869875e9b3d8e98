package main

import "sort"

// Judged is a report with the verdict it got (Verdict "" when none).
type Judged struct {
	Report
	Verdict Verdict
}

// Counts are the numbers of one analyzer (or all of them).
type Counts struct {
	Reports     int // keys (file, line, analyzer)
	Diagnostics int // diagnostics behind them
	TP, FP      int
	Debatable   int
	Unreviewed  int
}

// Precision is TP/(TP+FP), or -1 when nothing was judged.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return -1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

func (c *Counts) add(o Counts) {
	c.Reports += o.Reports
	c.Diagnostics += o.Diagnostics
	c.TP += o.TP
	c.FP += o.FP
	c.Debatable += o.Debatable
	c.Unreviewed += o.Unreviewed
}

// A Diff is the comparison of one run's reports with the verdict and
// misses files.
type Diff struct {
	Unreviewed []Judged  // reported, no verdict (or "?")
	FPStill    []Judged  // reported, judged FP
	Lost       []Verdict // TP or debatable, analyzed but no longer reported
	FPGone     []Verdict // FP, analyzed and no longer reported
	Stale      []Verdict // "?" entries no longer reported
	MissFound  []Miss    // misses now reported (counted as TP)
	MissStill  []Miss    // misses still not reported
	ByAnalyzer map[string]*Counts
	Total      Counts
}

// Compare diffs reports against verdicts and misses. analyzed tells
// whether a verdict or miss key lies in code this run analyzed (its
// repository was selected and its module loaded): entries outside it are
// neither lost nor missed.
func Compare(reports []Report, verdicts []Verdict, misses []Miss, analyzed func(Key) bool) *Diff {
	d := &Diff{ByAnalyzer: make(map[string]*Counts)}
	byKey := make(map[Key]Verdict, len(verdicts))
	for _, v := range verdicts {
		byKey[v.Key] = v
	}
	missByKey := make(map[Key]Miss, len(misses))
	for _, m := range misses {
		missByKey[m.Key] = m
	}
	reported := make(map[Key]bool, len(reports))
	for _, r := range reports {
		reported[r.Key] = true
		c := d.ByAnalyzer[r.Analyzer]
		if c == nil {
			c = new(Counts)
			d.ByAnalyzer[r.Analyzer] = c
		}
		c.Reports++
		c.Diagnostics += r.Count
		v, ok := byKey[r.Key]
		if !ok || v.Verdict == Unreviewed {
			if m, isMiss := missByKey[r.Key]; isMiss {
				// A miss is a reviewed report that was expected: now found, it is a TP.
				v, ok = Verdict{Key: r.Key, Verdict: TP, Reason: m.Reason}, true
			}
		}
		j := Judged{Report: r, Verdict: v}
		switch {
		case !ok || v.Verdict == Unreviewed:
			c.Unreviewed++
			d.Unreviewed = append(d.Unreviewed, j)
		case v.Verdict == TP:
			c.TP++
		case v.Verdict == FP:
			c.FP++
			d.FPStill = append(d.FPStill, j)
		case v.Verdict == Debatable:
			c.Debatable++
		}
	}
	for _, c := range d.ByAnalyzer {
		d.Total.add(*c)
	}
	for _, v := range verdicts {
		if reported[v.Key] || !analyzed(v.Key) {
			continue
		}
		switch v.Verdict {
		case TP, Debatable:
			d.Lost = append(d.Lost, v)
		case FP:
			d.FPGone = append(d.FPGone, v)
		case Unreviewed:
			d.Stale = append(d.Stale, v)
		}
	}
	for _, m := range misses {
		switch {
		case reported[m.Key]:
			d.MissFound = append(d.MissFound, m)
		case analyzed(m.Key):
			d.MissStill = append(d.MissStill, m)
		}
	}
	return d
}

// Analyzers returns the analyzer names with reports, sorted.
func (d *Diff) Analyzers() []string {
	var names []string
	for name := range d.ByAnalyzer {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// MissRecall is found/(found+still) over the misses list, or -1 when it
// is empty.
func (d *Diff) MissRecall() float64 {
	n := len(d.MissFound) + len(d.MissStill)
	if n == 0 {
		return -1
	}
	return float64(len(d.MissFound)) / float64(n)
}

// Failed reports whether the run must not pass as a gate: reports
// nobody judged, or true reports that disappeared. A debatable report
// that disappeared is listed among the lost but does not fail: it was
// neither right nor wrong (most go quiet by a rule that made a closer
// shape quiet, on purpose).
func (d *Diff) Failed() bool {
	if len(d.Unreviewed) > 0 {
		return true
	}
	for _, v := range d.Lost {
		if v.Verdict == TP {
			return true
		}
	}
	return false
}
