package runner

import (
	"runtime"
	"sync"
)

// InOrder calls work on every unit, on GOMAXPROCS workers, each once the
// units it depends on are ready: a unit is ready when its work calls
// ready (after publishing its facts) or returns. deps must name units of
// the list (others are ignored) and have no cycle.
func InOrder[U comparable](units []U, deps func(U) []U, work func(u U, ready func())) {
	done := make(map[U]chan struct{}, len(units))
	for _, u := range units {
		done[u] = make(chan struct{})
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var once sync.Once
			ready := func() { once.Do(func() { close(done[u]) }) }
			defer ready()
			for _, d := range deps(u) {
				if ch, ok := done[d]; ok {
					<-ch
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			work(u, ready)
		}()
	}
	wg.Wait()
}
