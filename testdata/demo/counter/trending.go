package counter

import restate "github.com/restatedev/sdk-go"

// trending counts views per page in memory, for the "trending" widget.
var trending = map[string]int{}

// RecordTrending counts a view for the trending widget.
func (PageViews) RecordTrending(ctx restate.ObjectContext) error {
	trending[restate.Key(ctx)]++ // BUG(memstate): lost on a restart and counted per replica; a replay counts again
	return nil
}
