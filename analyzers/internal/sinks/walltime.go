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
	)
}
