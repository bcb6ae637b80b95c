package telegram

import (
	"fmt"
	"strconv"
	"strings"
)

// Rates are the sending limits of the outgoing limiter, as set by
// WHERETO_TELEGRAM_RATE: Config.GlobalRate, PerChatRate and PerChatBurst.
type Rates struct {
	Global float64 // messages a second in all; -1: no limit
	Chat   float64 // new messages a second to one chat; -1: no limit
	Burst  int     // messages to one chat at once before Chat applies
}

// DefaultRates are Telegram's limits for a bot on the public Bot API.
func DefaultRates() Rates {
	return Rates{Global: DefaultGlobalRate, Chat: DefaultPerChatRate, Burst: DefaultPerChatBurst}
}

// ParseRates reads a WHERETO_TELEGRAM_RATE value: "" for Telegram's
// limits, "off" for none (a Local Bot API server, a test), or any of
// "global=N", "chat=N", "burst=N", comma-separated, over Telegram's
// limits ("global=100" for paid broadcasts). global is 1 to 1,000 a
// second, chat 0.05 to 100 a second, burst 1 to 100.
func ParseRates(s string) (Rates, error) {
	r := DefaultRates()
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return r, nil
	case "off":
		return Rates{Global: -1, Chat: -1, Burst: DefaultPerChatBurst}, nil
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || seen[key] {
			return Rates{}, fmt.Errorf("%q: want off, or global=N,chat=N,burst=N (each at most once)", s)
		}
		seen[key] = true
		n, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return Rates{}, fmt.Errorf("%q: %s=%q is not a number", s, key, val)
		}
		switch key {
		case "global":
			if !(n >= 1 && n <= 1000) { // NaN too
				return Rates{}, fmt.Errorf("%q: global must be 1 to 1000 messages a second", s)
			}
			r.Global = n
		case "chat":
			if !(n >= 0.05 && n <= 100) {
				return Rates{}, fmt.Errorf("%q: chat must be 0.05 to 100 messages a second", s)
			}
			r.Chat = n
		case "burst":
			if !(n >= 1 && n <= 100) || n != float64(int(n)) {
				return Rates{}, fmt.Errorf("%q: burst must be a whole number from 1 to 100", s)
			}
			r.Burst = int(n)
		default:
			return Rates{}, fmt.Errorf("%q: unknown limit %q; want global, chat or burst", s, key)
		}
	}
	return r, nil
}

// String is the WHERETO_TELEGRAM_RATE value of r.
func (r Rates) String() string {
	if r.Global < 0 && r.Chat < 0 {
		return "off"
	}
	return fmt.Sprintf("global=%g,chat=%g,burst=%d", r.Global, r.Chat, r.Burst)
}
