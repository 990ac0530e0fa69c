package http

import (
	nethttp "net/http"
	"strconv"

	"trustmark"
)

// calendarWorkingDays answers GET /api/v1/calendar/working-days?from=&add=:
// the date add working days after from on the official calendar.
func (s *Server) calendarWorkingDays(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "from", "add")
	from := q.date("from")
	add := q.str("add")
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	if from.IsZero() {
		Error(w, r, trustmark.Invalidf("calendar.from_required", "from", "a start date is required"))
		return
	}
	n, err := strconv.Atoi(add)
	if err != nil {
		Error(w, r, trustmark.Invalidf("calendar.add_number", "add", "add must be a whole number of working days, not %q", add))
		return
	}
	d, err := s.cfg.Calendar.AddWorkingDays(from, n)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, d)
}
