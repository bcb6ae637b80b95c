package directory

import (
	"regexp"
	"strings"
)

// Finding a service by one of its contacts: staff type a number, an email
// or a web address (Slack's look-up), residents type "101" or "0300 300
// 8123" (the conversation's). Both compare keys made the same way.

// phoneLike matches text that is only a phone number: digits with spaces,
// dashes, dots, brackets and a leading +.
var phoneLike = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]*$`)

// ContactKeys returns the keys a contact is found by: a phone or text
// number by its digits (+44 written as 0), an email address in lower case,
// a web address without its scheme, "www." or a trailing slash (and by its
// host alone).
func ContactKeys(kind ContactKind, value string) []string {
	v := strings.TrimSpace(value)
	switch kind {
	case KindPhone, KindText:
		var digits strings.Builder
		for _, r := range v {
			if r >= '0' && r <= '9' {
				digits.WriteRune(r)
			}
		}
		d := digits.String()
		if strings.HasPrefix(v, "+44") || (strings.HasPrefix(d, "44") && len(d) == 12) {
			d = "0" + strings.TrimPrefix(d, "44")
		}
		if d == "" {
			return nil
		}
		return []string{"tel:" + d}
	case KindEmail:
		return []string{"mail:" + strings.ToLower(strings.TrimPrefix(v, "mailto:"))}
	case KindWeb:
		u := strings.ToLower(v)
		for _, p := range []string{"https://", "http://", "www."} {
			u = strings.TrimPrefix(u, p)
		}
		u, _, _ = strings.Cut(u, "#")
		u = strings.TrimRight(u, "/")
		host, _, _ := strings.Cut(u, "/")
		if host == "" {
			return nil
		}
		if host == u {
			return []string{"web:" + u}
		}
		return []string{"web:" + u, "host:" + host}
	}
	return nil
}

// QueryContactKeys returns the keys to look q up by, best first, if q is
// only a phone number, an email address or a web address; nil otherwise.
// A bare host ("report-it.org.uk") also finds the services whose pages are
// on it.
func QueryContactKeys(q string) []string {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return nil
	case phoneLike.MatchString(q):
		return ContactKeys(KindPhone, q)
	case !strings.ContainsAny(q, " \t") && strings.Contains(q, "@"):
		return ContactKeys(KindEmail, q)
	case !strings.ContainsAny(q, " \t") && strings.Contains(q, "."):
		ks := ContactKeys(KindWeb, q)
		if len(ks) == 0 {
			return nil
		}
		return []string{ks[0], "host:" + strings.TrimPrefix(ks[0], "web:")}
	}
	return nil
}
