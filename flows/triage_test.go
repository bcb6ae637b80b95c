package flows_test

import (
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   directory.Route
		second directory.Route
	}{
		{"weapon outside now", "theres a man with a knife outside the shop NOW", directory.RouteEmergency, ""},
		{"someone trying to get in", "someone is trying to get in through my back door", directory.RouteEmergency, ""},
		{"cannot breathe", "i cant breathe", directory.RouteEmergency, ""},
		{"fire", "the flat downstairs is on fire", directory.RouteEmergency, ""},
		{"threat to kill tonight", "he said he is going to kill me tonight", directory.RouteEmergency, ""},
		{"screaming next door", "screaming and glass breaking next door", directory.RouteEmergency, ""},
		{"help with urgency", "help me please!!", directory.RouteEmergency, ""},
		{"suicide", "suicide", directory.RouteEmergency, ""},
		{"wanting to commit suicide", "i want to commit suicide", directory.RouteEmergency, ""},
		{"no reason to live", "theres no reason to live", directory.RouteEmergency, ""},
		{"ending it", "i feel like ending it", directory.RouteEmergency, ""},
		{"too many pills", "i've taken too many pills", directory.RouteEmergency, ""},
		{"paracetamol", "i have taken 20 paracetamol", directory.RouteEmergency, ""},
		{"took pills", "i took pills", directory.RouteEmergency, ""},
		{"scared for my life", "im scared for my life", directory.RouteEmergency, ""},
		{"not safe", "i'm not safe", directory.RouteEmergency, ""},
		{"bare help", "help", directory.RouteEmergency, ""},
		{"racist attack now is danger first", "they are attacking him and shouting racist abuse", directory.RouteEmergency, directory.RouteHateCrime},
		{"past knife is not 999", "last week a man pulled a knife on me", directory.RouteReportCrime, ""},
		{"past threat is not 999", "my ex threatened me last month", directory.RouteReportCrime, ""},
		{"negated danger", "it's not an emergency but my shed was broken into", directory.RouteReportCrime, ""},
		{"fly tipping", "someone dumped a load of rubbish outside my house", directory.RouteEnvironmental, ""},
		{"graffiti", "graffiti all over the bus shelter", directory.RouteEnvironmental, ""},
		{"dog fouling", "dog fouling on our street every day", directory.RouteEnvironmental, ""},
		{"threatening texts", "my ex wont stop texting me threats", directory.RouteReportCrime, ""},
		{"bike nicked", "my bike got nicked from outside the station", directory.RouteReportCrime, ""},
		{"drug dealing", "people dealing drugs from the flat opposite", directory.RouteReportCrime, ""},
		{"racist graffiti is hate", "someone shouted racist abuse at me", directory.RouteHateCrime, ""},
		{"homophobic", "we get homophobic comments from a neighbour", directory.RouteHateCrime, ""},
		{"child neglect", "my neighbours kids are not being fed and look neglected", directory.RouteSafeguarding, ""},
		{"cuckooing", "i think my vulnerable uncle is being cuckooed", directory.RouteSafeguarding, ""},
		{"support", "i was burgled and i'm struggling to cope, i need someone to talk to", directory.RouteVictimSupport, ""},
		{"greeting is unclear", "hello", directory.RouteUnclear, ""},
		{"empty is unclear", "", directory.RouteUnclear, ""},
		{"emoji only is unclear", "🙂🙂", directory.RouteUnclear, ""},
		{"numbers only is unclear", "0123456789", directory.RouteUnclear, ""},
		{"a url is unclear", "https://example.com/a?b=c", directory.RouteUnclear, ""},
		{"whitespace is unclear", " \t\n  ", directory.RouteUnclear, ""},
		{"invalid UTF-8 is unclear", "\xff\xfe\xfd", directory.RouteUnclear, ""},
		{"a phone number is unclear", "07700 900123", directory.RouteUnclear, ""},
		{"repeated characters are unclear", strings.Repeat("z", 5000), directory.RouteUnclear, ""},
		{"invalid UTF-8 around words still reads", "\xffsomeone dumped a sofa in the alley\xfe", directory.RouteEnvironmental, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flows.Classify(tt.text)
			if got.Route != tt.want {
				t.Errorf("Classify(%q).Route = %q, want %q (confidence %.2f)", tt.text, got.Route, tt.want, got.Confidence)
			}
			if tt.second != "" && got.Second != tt.second {
				t.Errorf("Classify(%q).Second = %q, want %q", tt.text, got.Second, tt.second)
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Errorf("confidence %v out of range", got.Confidence)
			}
		})
	}
}

func TestClassifyLanguage(t *testing.T) {
	tests := []struct {
		text  string
		want  string
		route directory.Route
	}{
		{"میرا فون چوری ہو گیا", "urdu", directory.RouteUnclear},
		{"ਮੇਰਾ ਫੋਨ ਚੋਰੀ ਹੋ ਗਿਆ", "punjabi", directory.RouteUnclear},
		{"আমার ফোন চুরি হয়ে গেছে", "bengali", directory.RouteUnclear},
		{"moja torba została skradziona", "polish", directory.RouteUnclear},
		{"mi-a fost furată geanta și telefonul", "romanian", directory.RouteUnclear},
		{"pomocy! on ma nóż", "other", directory.RouteEmergency},
		{"pomocy, mój mąż ma nóż i jest w domu", "polish", directory.RouteEmergency},
		{"ajutor, este foc în casă", "romanian", directory.RouteEmergency},
		{"my bag was stolen", "", directory.RouteReportCrime},
		{"my bag was stolen from the café", "", directory.RouteReportCrime},
	}
	for _, tt := range tests {
		got := flows.Classify(tt.text)
		if got.Language != tt.want || got.Route != tt.route {
			t.Errorf("Classify(%q) = language %q route %q, want %q %q", tt.text, got.Language, got.Route, tt.want, tt.route)
		}
	}
}

func TestClassifyHugeInput(t *testing.T) {
	long := strings.Repeat("someone dumped rubbish in the alley ", 3000) // ~100 KB
	if got := flows.Classify(long).Route; got != directory.RouteEnvironmental {
		t.Errorf("100 KB message: route %q, want environmental", got)
	}
	repeated := strings.Repeat("a", 100<<10)
	if got := flows.Classify(repeated).Route; got != directory.RouteUnclear {
		t.Errorf("100 KB of one letter: route %q, want unclear", got)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "help", "knife", "fly tipping", "\xff\xfe", "میرا", strings.Repeat("x ", 1000), "last week he had a knife now"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := flows.Classify(s)
		if got.Route != directory.RouteUnclear && !got.Route.Known() {
			t.Fatalf("Classify(%q) = unknown route %q", s, got.Route)
		}
		if got.Confidence < 0 || got.Confidence > 1 {
			t.Fatalf("Classify(%q) confidence %v", s, got.Confidence)
		}
	})
}

func TestClassifyIgnoresTerminalEscapes(t *testing.T) {
	if got := flows.Classify("\x1b[31mgraffiti\x1b[0m on the bridge").Route; got != directory.RouteEnvironmental {
		t.Errorf("route %q, want environmental", got)
	}
}
