package sinks

// Rows of the walltime rule: reading or waiting on the wall clock.
// time.Duration math, time.Unix, time.Date, time.Parse and methods of a
// time.Time read no clock and are absent.
func init() {
	add(
		&Sink{Rule: "walltime", Pkg: "time", Names: []string{"Now"}, Fix: "run", ValueOnly: true},
		&Sink{Rule: "walltime", Pkg: "time", Names: []string{"Since", "Until"}, Fix: "run", ValueOnly: true},
		&Sink{Rule: "walltime", Pkg: "time", Names: []string{"Sleep"}, Fix: "sleep"},
		&Sink{Rule: "walltime", Pkg: "time", Names: []string{"After"}, Fix: "after"},
		&Sink{Rule: "walltime", Pkg: "time", Names: []string{"Tick", "NewTimer", "NewTicker", "AfterFunc"}},

		// Injected clocks: bound to time.Now somewhere the handler cannot
		// see (main, a constructor), replaced in tests. A function value
		// (deps.Now(), s.now()) and an interface method (the project's own
		// Clock, clockwork.Clock, benbjohnson/clock.Clock) are read where
		// they are called.
		&Sink{Rule: "walltime", Family: FamInjectedClock, Sig: "func() time.Time", When: Called, Fix: "run", ValueOnly: true},
		&Sink{Rule: "walltime", Family: FamInjectedClock, Sig: "func() time.Time", Names: []string{"Now"}, When: Called, Fix: "run", ValueOnly: true},
	)
}

// FamInjectedClock is the family of the walltime rows matching injected
// clocks by signature.
const FamInjectedClock = "injected clock"
