package main

import (
	"fmt"
	"io"
	"os/exec"
	"strings"
	"text/tabwriter"
	"time"
)

func printText(w io.Writer, d *Diff, results []ModuleResult, reports []Report) {
	fmt.Fprintln(w, "== modules")
	for _, res := range results {
		line := fmt.Sprintf("%s %s: %s", res.Repo, res.Dir, res.Status)
		if res.Status == statusOK || res.Status == statusErrors {
			line += fmt.Sprintf(" (%d diagnostics, %.0fs)", len(res.Findings), res.Seconds)
		}
		if res.Reason != "" {
			line += ": " + res.Reason
		}
		fmt.Fprintln(w, line)
	}

	fmt.Fprintf(w, "\n== reports per repository\n")
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, rc := range perRepo(reports) {
		fmt.Fprintf(tw, "%s\t%d\n", rc.repo, rc.n)
	}
	tw.Flush()

	fmt.Fprintf(w, "\n== new unreviewed reports (%d)\n", len(d.Unreviewed))
	for _, j := range d.Unreviewed {
		fmt.Fprintf(w, "%s%s: %s\n", j.Key, countSuffix(j.Report), strings.Join(j.Messages, " / "))
	}
	fmt.Fprintf(w, "\n== FPs still reported (%d)\n", len(d.FPStill))
	for _, j := range d.FPStill {
		fmt.Fprintf(w, "%s%s: %s\n", j.Key, countSuffix(j.Report), j.Verdict.Reason)
	}
	fmt.Fprintf(w, "\n== lost: TPs and debatables no longer reported (%d)\n", len(d.Lost))
	for _, v := range d.Lost {
		fmt.Fprintf(w, "%s %s: %s\n", v.Key, v.Verdict, v.Reason)
	}
	fmt.Fprintf(w, "\n== FPs no longer reported (%d)\n", len(d.FPGone))
	for _, v := range d.FPGone {
		fmt.Fprintf(w, "%s: %s\n", v.Key, v.Reason)
	}
	if len(d.Stale) > 0 {
		fmt.Fprintf(w, "\n== unreviewed (?) verdict entries no longer reported (%d)\n", len(d.Stale))
		for _, v := range d.Stale {
			fmt.Fprintf(w, "%s\n", v.Key)
		}
	}
	fmt.Fprintf(w, "\n== misses now found (%d)\n", len(d.MissFound))
	for _, m := range d.MissFound {
		fmt.Fprintf(w, "%s: %s\n", m.Key, m.Reason)
	}
	fmt.Fprintf(w, "\n== misses still missed (%d)\n", len(d.MissStill))
	for _, m := range d.MissStill {
		fmt.Fprintf(w, "%s: %s\n", m.Key, m.Reason)
	}

	fmt.Fprintf(w, "\n== counts\n")
	tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "analyzer\treports\tdiagnostics\tTP\tFP\tdebatable\tunreviewed\tprecision\t")
	for _, name := range d.Analyzers() {
		c := d.ByAnalyzer[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", name, c.Reports, c.Diagnostics, c.TP, c.FP, c.Debatable, c.Unreviewed, ratio(c.Precision()))
	}
	c := d.Total
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", c.Reports, c.Diagnostics, c.TP, c.FP, c.Debatable, c.Unreviewed, ratio(c.Precision()))
	tw.Flush()
	fmt.Fprintf(w, "recall on the misses list: %d of %d found (%s)\n", len(d.MissFound), len(d.MissFound)+len(d.MissStill), ratio(d.MissRecall()))
}

// printMarkdown prints the tables of docs/accuracy.md.
func printMarkdown(w io.Writer, d *Diff, results []ModuleResult, reports []Report, commit string) {
	fmt.Fprintf(w, "Measured at restatelint %s on %s.\n\n", commit, time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(w, "| rule | reports | TP | FP | debatable | unreviewed | precision |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, name := range d.Analyzers() {
		c := d.ByAnalyzer[name]
		fmt.Fprintf(w, "| `%s` | %d | %d | %d | %d | %d | %s |\n", name, c.Reports, c.TP, c.FP, c.Debatable, c.Unreviewed, ratio(c.Precision()))
	}
	c := d.Total
	fmt.Fprintf(w, "| **all** | %d | %d | %d | %d | %d | %s |\n", c.Reports, c.TP, c.FP, c.Debatable, c.Unreviewed, ratio(c.Precision()))
	fmt.Fprintf(w, "\nMisses (false negatives found by reading handlers): %d of %d now reported (recall on the list %s).\n",
		len(d.MissFound), len(d.MissFound)+len(d.MissStill), ratio(d.MissRecall()))
	fmt.Fprintln(w, "\n| repository | reports | modules analyzed | modules not analyzed (skipped, failed, not run) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	count := make(map[string]int)
	for _, rc := range perRepo(reports) {
		count[rc.repo] = rc.n
	}
	var order []string
	ok, bad := make(map[string]int), make(map[string]int)
	for _, res := range results {
		if ok[res.Repo]+bad[res.Repo] == 0 {
			order = append(order, res.Repo)
		}
		if res.Status == statusOK || res.Status == statusErrors {
			ok[res.Repo]++
		} else {
			bad[res.Repo]++
		}
	}
	for _, repo := range order {
		fmt.Fprintf(w, "| %s | %d | %d | %d |\n", repo, count[repo], ok[repo], bad[repo])
	}
}

type repoCount struct {
	repo string
	n    int
}

// perRepo counts report keys per repository, in order of first report.
func perRepo(reports []Report) []repoCount {
	var out []repoCount
	for _, r := range reports {
		if n := len(out); n > 0 && out[n-1].repo == r.Repo {
			out[n-1].n++
			continue
		}
		out = append(out, repoCount{r.Repo, 1})
	}
	return out
}

func countSuffix(r Report) string {
	if r.Count > 1 {
		return fmt.Sprintf(" [x%d]", r.Count)
	}
	return ""
}

func ratio(x float64) string {
	if x < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}

func checkoutCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "(unknown commit)"
	}
	return strings.TrimSpace(string(out))
}
