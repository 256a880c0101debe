package actions

import (
	"strconv"
	"time"
)

// PHPDate formats Unix seconds as PHP's date('jS F Y g:i:sa') does in UTC,
// e.g. "18th November 2016 9:32:24am": the format WHMCS uses for OAuth
// credential times.
func PHPDate(unix int64) string {
	t := time.Unix(unix, 0).UTC()
	day := t.Day()
	suffix := "th"
	if day < 11 || day > 13 {
		switch day % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	hour := t.Hour() % 12
	if hour == 0 {
		hour = 12
	}
	ampm := "am"
	if t.Hour() >= 12 {
		ampm = "pm"
	}
	b := make([]byte, 0, 32)
	b = strconv.AppendInt(b, int64(day), 10)
	b = append(b, suffix...)
	b = append(b, ' ')
	b = append(b, t.Month().String()...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(t.Year()), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(hour), 10)
	b = append(b, ':', byte('0'+t.Minute()/10), byte('0'+t.Minute()%10), ':', byte('0'+t.Second()/10), byte('0'+t.Second()%10))
	b = append(b, ampm...)
	return string(b)
}
