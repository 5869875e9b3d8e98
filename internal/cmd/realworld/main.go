// Command realworld runs restatelint over a corpus of public Restate
// services and diffs its reports against reviewed verdicts, so that
// accuracy on real code is measured after every change (issue 11).
//
// The corpus is testdata/realworld/manifest.json: repositories, the commit
// of each, and the modules (directories holding a go.mod that imports
// github.com/restatedev/sdk-go) with their package patterns. Modules that
// do not load carry a "skip" reason. Sources come from bare git mirrors
// (-mirrors DIR/<owner>+<name>/repo); nothing of them is committed, only
// line references and verdicts:
//
//	testdata/realworld/verdicts.tsv  repo, file, line, analyzer, verdict, reason
//	testdata/realworld/misses.tsv    repo, file, line, analyzer, reason
//
// A verdict is keyed on the reported position (file relative to the
// repository root, line, analyzer); several diagnostics of one analyzer on
// one line are one entry. Verdicts are TP, FP or debatable (judged against
// the rule catalogue: does it break replay or exactly-once, and is it in a
// handler zone), or ? for an entry a reviewer has yet to fill in. A miss
// is a false negative found by reading handlers; once reported it counts
// as a TP.
//
// The runner extracts each mirror at the manifest commit into the work
// directory, builds restatelint from the current checkout once, runs
// go mod download and restatelint -json per module (GOTOOLCHAIN=local,
// GOFLAGS=-mod=mod, GOWORK=off; a module that does not load is recorded
// with its reason), and prints: new unreviewed reports with their
// messages, FPs still reported, TPs and debatables no longer reported
// (lost), misses found and still missed, and per-rule and overall counts
// with precision = TP/(TP+FP). Run it from the repository root:
//
//	go run ./internal/cmd/realworld                        # whole corpus
//	go run ./internal/cmd/realworld -repo curaious/uno     # one repository
//	go run ./internal/cmd/realworld -cached                # diff the last run again
//	go run ./internal/cmd/realworld -cached -emit-unreviewed testdata/realworld/verdicts.tsv
//	go run ./internal/cmd/realworld -cached -markdown      # tables for docs/accuracy.md
//
// Exit status 1 when there are unreviewed reports, lost TPs (a lost
// debatable is listed but does not fail), or modules
// that failed to load; 2 on bad flags or input. It needs the mirrors and
// the module proxy, so it is a developer tool, not a CI job; its pure
// parts (manifest, verdicts, findings, diffing, counting) are unit tests.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("realworld: ")
	defaultMirrors := os.Getenv("RESTATELINT_MIRRORS")
	if defaultMirrors == "" {
		defaultMirrors = "/work/.mirror"
	}
	var (
		manifestFile = flag.String("manifest", "testdata/realworld/manifest.json", "corpus manifest")
		verdictFile  = flag.String("verdicts", "testdata/realworld/verdicts.tsv", "verdict file")
		missFile     = flag.String("misses", "testdata/realworld/misses.tsv", "misses file (false negatives)")
		mirrors      = flag.String("mirrors", defaultMirrors, "directory of bare mirrors `DIR/<owner>+<name>/repo` ($RESTATELINT_MIRRORS)")
		work         = flag.String("work", filepath.Join(os.TempDir(), "restatelint-realworld"), "work directory (extracted sources, binary, results)")
		repoFlag     = flag.String("repo", "", "analyze only these repositories (owner/name, comma-separated)")
		cached       = flag.Bool("cached", false, "diff the results of the last run in -work again; extract, build and analyze nothing")
		emit         = flag.String("emit-unreviewed", "", "append the unreviewed reports to `FILE` as verdict lines with verdict ? (a header is written to a new file)")
		markdown     = flag.Bool("markdown", false, "print the counts as markdown tables (for docs/accuracy.md) instead of text")
		timeout      = flag.Duration("timeout", 40*time.Minute, "time limit per module")
	)
	flag.Parse()
	if flag.NArg() > 0 {
		log.Printf("unexpected arguments %q", flag.Args())
		os.Exit(2)
	}
	manifest, err := ReadManifest(*manifestFile)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	verdicts, err := ReadVerdicts(*verdictFile)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	misses, err := ReadMisses(*missFile)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	repos, err := selectRepos(manifest, *repoFlag)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	if err := checkKnown(manifest, verdicts, misses); err != nil {
		log.Print(err)
		os.Exit(2)
	}

	results, err := collect(context.Background(), repos, *mirrors, *work, *cached, *timeout)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	var findings []Finding
	status := make(map[string]map[string]string) // repo → module dir → status
	for _, res := range results {
		findings = append(findings, res.Findings...)
		if status[res.Repo] == nil {
			status[res.Repo] = make(map[string]string)
		}
		status[res.Repo][res.Dir] = res.Status
	}
	sort.Slice(findings, func(i, j int) bool {
		if findings[i].Key != findings[j].Key {
			return findings[i].Key.less(findings[j].Key)
		}
		return findings[i].Col < findings[j].Col
	})
	reports := GroupFindings(findings)
	analyzed := func(k Key) bool {
		r := manifest.Find(k.Repo)
		mods := status[k.Repo]
		if r == nil || mods == nil {
			return false
		}
		m := r.ModuleOf(k.File)
		if m == nil {
			return false
		}
		s := mods[m.Dir]
		return s == statusOK || s == statusErrors
	}
	diff := Compare(reports, verdicts, misses, analyzed)

	if *markdown {
		printMarkdown(os.Stdout, diff, results, reports, checkoutCommit())
	} else {
		printText(os.Stdout, diff, results, reports)
	}
	if *emit != "" {
		if err := appendUnreviewed(*emit, diff.Unreviewed); err != nil {
			log.Print(err)
			os.Exit(2)
		}
	}
	failed := diff.Failed()
	for _, res := range results {
		if res.Status == statusFailed {
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func selectRepos(m *Manifest, names string) ([]*Repository, error) {
	var repos []*Repository
	if names == "" {
		for i := range m.Repositories {
			repos = append(repos, &m.Repositories[i])
		}
		return repos, nil
	}
	for _, name := range strings.Split(names, ",") {
		r := m.Find(strings.TrimSpace(name))
		if r == nil {
			return nil, fmt.Errorf("-repo: %s is not in the manifest", name)
		}
		repos = append(repos, r)
	}
	return repos, nil
}

// checkKnown rejects verdicts and misses of repositories the manifest
// does not name (a typo would otherwise make them silently unused).
func checkKnown(m *Manifest, verdicts []Verdict, misses []Miss) error {
	for _, v := range verdicts {
		if m.Find(v.Repo) == nil {
			return fmt.Errorf("verdict for %s: repository not in the manifest", v.Key)
		}
	}
	for _, x := range misses {
		if m.Find(x.Repo) == nil {
			return fmt.Errorf("miss %s: repository not in the manifest", x.Key)
		}
	}
	return nil
}

// collect produces one result per module of repos: from the work
// directory with cached, otherwise by extracting, building and running.
func collect(ctx context.Context, repos []*Repository, mirrors, work string, cached bool, timeout time.Duration) ([]ModuleResult, error) {
	var results []ModuleResult
	if cached {
		for _, r := range repos {
			for i := range r.Modules {
				m := &r.Modules[i]
				res, err := loadResult(resultFile(work, r, m))
				if err != nil {
					// A module the last run did not reach (interrupted, or a
					// -repo run) counts as not analyzed, so it fails the gate.
					res = ModuleResult{Repo: r.Repo, Dir: m.Dir, Status: statusFailed, Reason: err.Error()}
					if m.Skip != "" {
						res.Status, res.Reason = statusSkipped, m.Skip
					}
				}
				results = append(results, res)
			}
		}
		return results, nil
	}
	gitDirs := make(map[string]string)
	for _, r := range repos {
		dir, err := mirrorGitDir(mirrors, r)
		if err != nil {
			return nil, err
		}
		gitDirs[r.Repo] = dir
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	bin, err := buildLinter(ctx, work)
	if err != nil {
		return nil, err
	}
	for _, r := range repos {
		root := filepath.Join(work, "src", r.DirName())
		missing, err := extract(ctx, gitDirs[r.Repo], root, r)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			log.Printf("%s: %d files absent from the mirror, not extracted: %s", r.Repo, len(missing), strings.Join(missing, ", "))
		}
		for i := range r.Modules {
			m := &r.Modules[i]
			log.Printf("%s %s ...", r.Repo, m.Dir)
			res := runModule(ctx, bin, root, r, m, timeout)
			log.Printf("%s %s: %s in %.0fs, %d diagnostics %s", r.Repo, m.Dir, res.Status, res.Seconds, len(res.Findings), res.Reason)
			if err := saveResult(resultFile(work, r, m), res); err != nil {
				return nil, err
			}
			results = append(results, res)
		}
	}
	return results, nil
}

func appendUnreviewed(file string, unreviewed []Judged) error {
	existing, err := ReadVerdicts(file)
	if err != nil {
		return err
	}
	have := make(map[Key]bool)
	for _, v := range existing {
		have[v.Key] = true
	}
	_, statErr := os.Stat(file)
	f, err := os.OpenFile(file, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if os.IsNotExist(statErr) {
		fmt.Fprintln(f, strings.Join(verdictHeader, "\t"))
	}
	for _, j := range unreviewed {
		if have[j.Key] {
			continue // already there as ?
		}
		fmt.Fprintln(f, verdictLine(Verdict{Key: j.Key, Verdict: Unreviewed, Reason: skeletonReason(j.Report)}))
	}
	return f.Close()
}

// skeletonReason is the placeholder reason of an emitted entry: the
// message, for the reviewer to replace with a judgement.
func skeletonReason(r Report) string {
	msg := strings.Join(r.Messages, " / ")
	if r.Count > 1 {
		msg = fmt.Sprintf("[x%d] %s", r.Count, msg)
	}
	return flatten(msg)
}
