package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func maxRSS(p Point) int64 {
	var m int64
	for _, r := range p.RSS {
		m = max(m, r)
	}
	return m
}

func secs(x float64) string {
	if x < 10 {
		return fmt.Sprintf("%.2f s", x)
	}
	return fmt.Sprintf("%.1f s", x)
}

func kilo(n int) string { return fmt.Sprintf("%dk", (n+500)/1000) }

// printMarkdown prints the tables of docs/performance.md's peer section.
func printMarkdown(w io.Writer, res *Results) {
	fmt.Fprintf(w, "Measured %s on %s, %s, restatelint at %s, %s; median of %d runs (seed %d). Load average (1, 5, 15 min) before each size and at the end: %s.\n\n",
		res.Date, res.Machine, res.Go, res.Commit, res.Peer, res.Runs, res.Seed, strings.Join(res.LoadAvgs, "; "))
	fmt.Fprint(w, "Median wall time, and median CPU time (user+sys, child processes included) in parentheses:\n\n| shape, tool |")
	for _, sz := range res.Sizes {
		fmt.Fprintf(w, " %d pkgs, %s lines |", sz.Packages, kilo(sz.Restate.Lines))
	}
	fmt.Fprint(w, "\n|---|")
	for range res.Sizes {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for _, shape := range []string{"restate", "temporal"} {
		title := map[string]string{"restate": "**Restate shape**", "temporal": "**Temporal shape**"}[shape]
		fmt.Fprintf(w, "| %s |%s\n", title, strings.Repeat(" |", len(res.Sizes)))
		for _, s := range res.Series {
			if s.Shape != shape {
				continue
			}
			fmt.Fprintf(w, "| %s |", s.Name)
			for _, p := range s.Points {
				fmt.Fprintf(w, " %s (%s) |", secs(median(p.Wall)), secs(median(p.CPU)))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprint(w, "\nStandalone linter / floor, median CPU time (wall time in parentheses):\n\n| shape, linter |")
	for _, sz := range res.Sizes {
		fmt.Fprintf(w, " %d pkgs |", sz.Packages)
	}
	fmt.Fprint(w, "\n|---|")
	for range res.Sizes {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for _, s := range res.Series {
		if !strings.HasSuffix(s.Name, " standalone") {
			continue
		}
		floor := find(res, "floor", s.Shape)
		if floor == nil {
			continue
		}
		fmt.Fprintf(w, "| %s, %s |", s.Shape, strings.TrimSuffix(s.Name, " standalone"))
		for i, p := range s.Points {
			f := floor.Points[i]
			fmt.Fprintf(w, " %.2f× (%.2f×) |", median(p.CPU)/median(f.CPU), median(p.Wall)/median(f.Wall))
		}
		fmt.Fprintln(w)
	}
	last := len(res.Sizes) - 1
	if last < 0 {
		return
	}
	sz := res.Sizes[last]
	fmt.Fprintf(w, "\nAt %d packages: peak RSS, and diagnostic lines printed (planted hazards: %d of %d Restate handlers, %d of %d Temporal workflows reach time/rand/env/uuid outside Run/SideEffect; a few more journal in map order):\n\n",
		sz.Packages, sz.Restate.Hazards, sz.Restate.Handlers, sz.Temporal.Hazards, sz.Temporal.Handlers)
	fmt.Fprintln(w, "| shape, tool | peak RSS | findings |\n|---|---:|---:|")
	for _, s := range res.Series {
		p := s.Points[last]
		fmt.Fprintf(w, "| %s, %s | %d MB | %d |\n", s.Shape, s.Name, maxRSS(p)>>20, p.Findings)
	}
}

func find(res *Results, name, shape string) *Series {
	for _, s := range res.Series {
		if s.Name == name && s.Shape == shape {
			return s
		}
	}
	return nil
}

// plot draws median CPU time against generated lines, log scale, one line
// per tool and mode.
func plot(res *Results) []byte {
	const (
		W, H                     = 820, 460
		left, right, top, bottom = 70, 290, 40, 60
	)
	pw, ph := float64(W-left-right), float64(H-top-bottom)
	maxLines, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for _, s := range res.Series {
		for _, p := range s.Points {
			maxLines = math.Max(maxLines, float64(p.Lines))
			c := median(p.CPU)
			if c > 0 {
				lo, hi = math.Min(lo, c), math.Max(hi, c)
			}
		}
	}
	if maxLines == 0 || math.IsInf(lo, 0) {
		return []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
	}
	ylo, yhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if yhi == ylo {
		yhi++
	}
	xmax := math.Ceil(maxLines/50000) * 50000
	x := func(l float64) float64 { return float64(left) + pw*l/xmax }
	y := func(c float64) float64 { return float64(top) + ph*(1-(math.Log10(c)-ylo)/(yhi-ylo)) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<text x="%d" y="22" font-size="14" font-weight="bold">CPU time vs. code size (median of %d runs, log scale) — %s</text>
`, W, H, W, H, left, res.Runs, res.Date)
	// Axes and grid.
	for e := ylo; e <= yhi; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if math.Log10(v) > yhi+1e-9 {
				break
			}
			yy := y(v)
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, yy, float64(left)+pw, yy)
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, yy+4, strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.2f", v), "0"), ".0")+" s")
		}
	}
	for l := 0.0; l <= xmax; l += 50000 {
		xx := x(l)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#eee"/>`+"\n", xx, top, xx, float64(top)+ph)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", xx, float64(top)+ph+18, kilo(int(l)))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%.1f" fill="none" stroke="#333"/>`+"\n", left, top, pw, ph)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">lines of Go generated (each shape)</text>`+"\n", float64(left)+pw/2, H-18)
	fmt.Fprintf(&b, `<text x="18" y="%.1f" text-anchor="middle" transform="rotate(-90 18 %.1f)">CPU time (user+sys)</text>`+"\n", float64(top)+ph/2, float64(top)+ph/2)

	colors := map[string]string{"floor": "#888888", "go vet": "#2ca02c", "restatelint": "#1f77b4", "workflowcheck": "#d62728"}
	ly := top + 10
	for _, s := range res.Series {
		tool, mode, _ := strings.Cut(s.Name, " ")
		tool = strings.TrimSuffix(tool, ",")
		if s.Name == "go vet, cold" || s.Name == "go vet, warm" {
			tool, mode = "go vet", strings.TrimPrefix(s.Name, "go vet, ")
		}
		color := colors[tool]
		dash := ""
		switch {
		case strings.Contains(mode, "warm"):
			dash = ` stroke-dasharray="2 3"`
		case strings.Contains(mode, "cold"):
			dash = ` stroke-dasharray="7 4"`
		}
		if s.Shape == "temporal" && (tool == "floor" || tool == "go vet") {
			color = "#bbbbbb"
			if tool == "go vet" {
				color = "#98df8a"
			}
		}
		var pts []string
		for _, p := range s.Points {
			if c := median(p.CPU); c > 0 {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(p.Lines)), y(c)))
			}
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), color, dash)
		for _, pt := range pts {
			xy := strings.Split(pt, ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`+"\n", xy[0], xy[1], color)
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n", W-right+15, ly, W-right+45, ly, color, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s (%s shape)</text>`+"\n", W-right+52, ly+4, s.Name, s.Shape)
		ly += 20
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}
