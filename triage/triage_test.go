package triage_test

import (
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/triage"
)

func TestClassify(t *testing.T) {
	const (
		now   = triage.DangerNow
		check = triage.DangerCheck
		none  = triage.DangerNone
	)
	tests := []struct {
		name   string
		text   string
		want   directory.Route // "" when only the danger matters
		danger triage.Danger
		second directory.Route
	}{
		{"weapon outside now", "theres a man with a knife outside the shop NOW", directory.RouteEmergency, now, ""},
		{"someone trying to get in", "someone is trying to get in through my back door", directory.RouteEmergency, now, ""},
		{"cannot breathe", "i cant breathe", directory.RouteEmergency, now, ""},
		{"fire", "the flat downstairs is on fire", directory.RouteEmergency, now, ""},
		{"threat to kill tonight", "he said he is going to kill me tonight", directory.RouteEmergency, now, ""},
		{"screaming next door", "screaming and glass breaking next door", directory.RouteEmergency, now, ""},
		{"too many pills", "i've taken too many pills", directory.RouteEmergency, now, ""},
		{"paracetamol taken", "i took a load of paracetamol", directory.RouteEmergency, now, ""},
		{"suicide tonight", "i am going to end my life tonight", directory.RouteEmergency, now, ""},
		{"racist attack now is danger first", "they are attacking him and shouting racist abuse", directory.RouteEmergency, now, "hate-crime"},
		{"holding hands is not a rule's word, the model still hears danger", "the kids are holding hands and a man is trying to take them", directory.RouteEmergency, now, ""},
		{"a plan made ready with its means", "ive written my goodbye letters and i have the tablets ready", directory.RouteEmergency, now, ""},
		{"a snatch told without a time, the model sure it is over, asks", "someone snatched my bag at the market", "report-crime", check, ""},
		{"another's denial is not mine", "he isnt in danger, i am, he is trying to break the door", directory.RouteEmergency, now, ""},
		{"next month is not now, right now is", "my ex gets out of prison next month and he is at my door right now", directory.RouteEmergency, now, ""},
		{"a child snatched is danger now", "someone snatched my child from the park", directory.RouteEmergency, now, ""},
		{"a hedge is not a denial", "not sure if its an emergency but my dad collapsed and isnt breathing", directory.RouteEmergency, now, ""},
		{"a denial of one night is a denial", "suicidal thoughts for years. not in danger tonight but i want proper help this time", "mental-health", none, ""},
		{"a bare now in an ongoing situation asks", "now they make me work in their shop for no money and i cannot leave", "exploitation", check, ""},
		{"help with urgency asks", "help me please!!", "", check, ""},
		{"bare help asks", "help", directory.RouteUnclear, check, ""},
		{"help please asks", "help please", directory.RouteUnclear, check, ""},
		{"i need help asks", "i need help", "", check, ""},
		{"he hits me asks", "he hits me", "", check, ""},
		{"partner beats me asks", "my partner beats me", "domestic-abuse", check, ""},
		{"scared for my life asks", "im scared for my life", "", check, ""},
		{"not safe asks", "i'm not safe", "", check, ""},
		{"suicidal thoughts are support", "i have been having suicidal thoughts", "mental-health", none, ""},
		{"wanting to die is support", "i want to commit suicide", "mental-health", none, ""},
		{"ending it is support", "i feel like ending it", "mental-health", none, ""},
		{"control is domestic abuse", "my husband controls all my money and wont let me see my friends", "domestic-abuse", none, ""},
		{"abusive boyfriend", "my boyfriend is abusive", "domestic-abuse", none, ""},
		{"past knife is not 999", "last week a man pulled a knife on me", "report-crime", none, ""},
		{"past threat from an ex", "my ex threatened me last month", "domestic-abuse", none, ""},
		{"abuse over months asks, never 999", "my ex has been threatening me for months", "", check, ""},
		{"emergency said of an everyday thing asks", "emergency! someone dumped a sofa outside my house", "environmental", check, ""},
		{"asking whether it is an emergency", "is it an emergency if my neighbour plays loud music at 3am", "", none, ""},
		{"emergency with now", "emergency please come now", directory.RouteEmergency, now, ""},
		{"followed since a place is now", "a car has been behind me since i left work and it turns every time i turn", directory.RouteEmergency, now, ""},
		{"followed for weeks asks", "a man keeps following me home from work, its been going on for weeks", "", check, ""},
		{"child never arrived, the model sure", "my son got off the train at leagrave and never arrived home, he has learning difficulties", directory.RouteEmergency, now, ""},
		{"teenager not answering asks at least", "my daughter is 14 and shes not answering her phone, she should have been back at 6", "", check, ""},
		{"child swallowed something", "my 2 year old has swallowed a button battery", directory.RouteEmergency, now, ""},
		{"barricaded in is now", "my housemate went for me with a frying pan, im barricaded in my room", directory.RouteEmergency, now, ""},
		{"past is not made missing by a reply", "my son ran away from home last year but hes back and doing well", "", none, ""},
		{"emergency alone asks", "EMERGENCY", directory.RouteUnclear, check, ""},
		{"the model's doubt makes the rules' now a question", "my wife was assaulted at work last month and now she wont go out, who can help us", "victim-support", check, ""},
		{"the model's doubt never questions suicide tonight", "i want to kill myself tonight", directory.RouteEmergency, now, ""},
		{"a past in one clause does not silence danger told in another", "the garage is on fire, last year it nearly happened too", "", check, ""},
		{"a witness with the victim bleeding beside them is now", "i witnessed a stabbing, the victim is here with me bleeding", directory.RouteEmergency, now, ""},
		{"an idiom is no denial: the model may still ask", "care home night shift, a resident with dementia is not in her room and the fire door is open", "", check, ""},
		{"an idiom keeps the model from saying now", "my kids are screaming the house down over the ipad", "", check, ""},
		{"attacked earlier and locked in now asks at least", "my partner attacked me earlier, he's locked me in and i cant get out", "", check, ""},
		{"a past with nothing now in any clause", "someone broke into my shed last week and took my bike", "report-crime", none, ""},
		{"the model's doubt questions a danger word in its everyday sense", "the lads at the car wash work with no gloves and the boss is screaming at them all day", "exploitation", check, ""},
		{"emergency with another sign is now", "emergency my daughter is missing", directory.RouteEmergency, now, ""},
		{"followed on social media is not danger", "people keep following me on instagram", "", none, ""},
		{"waiting outside, with no stranger", "the taxi was waiting outside my house", "", none, ""},
		{"a service that did not come is not a missing person", "my elderly dad's pension has not arrived this month", "", none, ""},
		{"cutting benefits is not a threat", "the council will cut my benefits", "", none, ""},
		{"hiding money is not hiding from danger", "im hiding my money from him so he cant take it", "", none, ""},
		{"a toddler who drank bleach", "my toddler drank some bleach", directory.RouteEmergency, now, ""},
		{"talk of calling 999 does not hide a fire", "call 999 there is a fire next door", directory.RouteEmergency, now, ""},
		{"a missing person, though an errand is named", "my mum with dementia went to her gp appointment and never arrived", "", check, ""},
		{"a threat to cut a face", "my ex texted he will cut my face when he finds me", "", check, ""},
		{"a child where they should be", "my son is not missing, he just isnt answering, hes at his dads", "", none, ""},
		{"a denial that says right now silences the model", "no one is in danger right now but my partner has been threatening me on and off for a year", "", none, ""},
		{"a burglary found on coming home", "just got home and found the back door forced, theyve gone and the place is trashed", "report-crime", none, ""},
		{"negated danger", "it's not an emergency but my shed was broken into", "report-crime", none, ""},
		{"no one in danger", "no one is in danger, but there is a van parked across my drive again", "environmental", none, ""},
		{"fire that is out", "there was a fire in the park bins earlier, it's out now", "", none, ""},
		{"parked car", "a car has been parked on the pavement outside my house for weeks", "environmental", none, ""},
		{"fly tipping", "someone dumped a load of rubbish outside my house", "environmental", none, ""},
		{"graffiti", "graffiti all over the bus shelter", "environmental", none, ""},
		{"dog fouling", "dog fouling on our street every day", "environmental", none, ""},
		{"bike nicked", "my bike got nicked from outside the station", "report-crime", none, ""},
		{"drug dealing", "people dealing drugs from the flat opposite", "report-crime", none, ""},
		{"racist abuse is hate", "someone shouted racist abuse at me", "hate-crime", none, ""},
		{"homophobic", "we get homophobic comments from a neighbour", "hate-crime", none, ""},
		{"child neglect", "my neighbours kids are not being fed and look neglected", "safeguarding", none, ""},
		{"scam", "i got scammed out of 200 quid on facebook marketplace", "fraud", none, ""},
		{"support", "i was burgled and i'm struggling to cope, i need someone to talk to", "victim-support", none, ""},
		{"greeting is unclear", "hello", directory.RouteUnclear, none, ""},
		{"empty is unclear", "", directory.RouteUnclear, none, ""},
		{"emoji only is unclear", "🙂🙂", directory.RouteUnclear, none, ""},
		{"numbers only is unclear", "0123456789", directory.RouteUnclear, none, ""},
		{"a url is unclear", "https://example.com/a?b=c", directory.RouteUnclear, none, ""},
		{"whitespace is unclear", " \t\n  ", directory.RouteUnclear, none, ""},
		{"invalid UTF-8 is unclear", "\xff\xfe\xfd", directory.RouteUnclear, none, ""},
		{"a phone number is unclear", "07700 900123", directory.RouteUnclear, none, ""},
		{"repeated characters are unclear", strings.Repeat("z", 5000), directory.RouteUnclear, none, ""},
		{"invalid UTF-8 around words still reads", "\xffsomeone dumped a sofa in the alley\xfe", "environmental", none, ""},
		// A phrase that says it is over or safe must not silence danger
		// told in the same message.
		{"fire out of control", "the fire is out of control and spreading to next door", directory.RouteEmergency, now, ""},
		{"police will not do anything", "my ex is kicking the door in and the police wont do anything", directory.RouteEmergency, now, ""},
		{"everyone ok but still kicking", "everyones ok but he is still kicking the door", directory.RouteEmergency, now, ""},
		{"not safe tonight", "i dont feel safe tonight my ex is outside shouting he will kill me", directory.RouteEmergency, now, ""},
		{"now of leaving hospital and now of danger", "i was discharged today and i want to kill myself now", directory.RouteEmergency, now, ""},
		{"staying with a sister and now", "i am staying with my sister and i want to kill myself now", directory.RouteEmergency, now, ""},
		{"told him to stop", "my husband is hitting me i told him to stop", directory.RouteEmergency, now, ""},
		{"boys outside now after a fight", "my son had a fight at school few days ago and now the same boys are outside our house with a bat shouting for him", directory.RouteEmergency, now, ""},
		// Minutes are now; the last minute is not.
		{"followed for minutes", "im being followed by a car for the last 10 mins and they keep slowing down", directory.RouteEmergency, now, ""},
		{"at the last minute", "my ex hit me last week and cancelled the contact visit at the last minute", "", none, ""},
		{"a second man, last time", "last time a second man joined in and hit me", "", none, ""},
		{"gun seen now", "There is a man sitting in a car outside my house with a gun, I saw it on his lap", directory.RouteEmergency, now, ""},
		{"weapons every evening are a report", "there are people dealing drugs and carrying knives in the park every evening", "", none, ""},
		{"a letter followed by a fine", "the council sent me a letter followed by a fine for my bins", "", none, ""},
		// A missing person who cannot keep safe is asked about, however
		// long ago they went.
		{"vulnerable adult missing for hours", "My neighbour has learning difficulties, she went out 3 hours ago and hasn't come back", "", check, ""},
		{"child not home", "my daughter is 14 she didnt come home from school, her phone is off and its 11pm", directory.RouteEmergency, now, ""},
		// "Now" of where things stand once it is over.
		{"at a sister's now", "he hit me again on friday, im at my sisters now but dont know what next", "domestic-abuse", none, ""},
		{"thoughts, no plan tonight", "feeling suicidal again. not going to do anything tonight but i need to talk to someone", "mental-health", none, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := triage.Classify(tt.text)
			if tt.want != "" && got.Route != tt.want {
				t.Errorf("Classify(%q).Route = %q, want %q (confidence %.2f, danger %s)", tt.text, got.Route, tt.want, got.Confidence, got.Danger)
			}
			if got.Danger != tt.danger {
				t.Errorf("Classify(%q).Danger = %q, want %q (route %s)", tt.text, got.Danger, tt.danger, got.Route)
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
		{"میرا فون چوری ہو گیا", "ur", "report-crime"},
		{"ਮੇਰਾ ਫੋਨ ਚੋਰੀ ਹੋ ਗਿਆ", "pa", "report-crime"},
		{"আমার ফোন চুরি হয়ে গেছে", "bn", "report-crime"},
		{"moja torba została skradziona", "pl", "report-crime"},
		{"mi-a fost furată geanta și telefonul", "ro", "report-crime"},
		{"meri cycle chori ho gayi kal raat", "ur", "report-crime"},
		{"ktoś wyrzucił stary materac i lodówkę przy garażach", "pl", "environmental"},
		{"pomocy! on ma nóż", "pl", directory.RouteEmergency},
		{"pomocy, mój mąż ma nóż i jest w domu", "pl", directory.RouteEmergency},
		{"ajutor, este foc în casă", "ro", directory.RouteEmergency},
		{"hola, me robaron el bolso ayer en el parque", "es", directory.RouteUnclear},
		{"我的手机被偷了", triage.Und, directory.RouteUnclear},
		{"سرق هاتفي في الحديقة", "ar", directory.RouteUnclear},
		{"my bag was stolen", "", "report-crime"},
		{"someone stole my bag and my phone at the station", "en", "report-crime"},
		{"my bag was stolen from the café", "en", "report-crime"},
		{"bag stolen", "", "report-crime"},
		// English with a greeting in another language is English: the
		// Polish or Romanian letters alone must not make it unreadable.
		{"Dzień dobry, someone stole my bike from the garden last night", "en", "report-crime"},
		{"Bună ziua, there is a pile of rubbish dumped in the alley behind my house", "en", "environmental"},
		{"Привет, someone stole my bike from the garden last night", "en", "report-crime"},
		{"Dzień dobry", "pl", directory.RouteUnclear},
	}
	for _, tt := range tests {
		got := triage.Classify(tt.text)
		if got.Lang != tt.want || got.Route != tt.route {
			t.Errorf("Classify(%q) = language %q route %q, want %q %q", tt.text, got.Lang, got.Route, tt.want, tt.route)
		}
	}
}

func TestClassifyHugeInput(t *testing.T) {
	long := strings.Repeat("someone dumped rubbish in the alley ", 3000) // ~100 KB
	if got := triage.Classify(long).Route; got != "environmental" {
		t.Errorf("100 KB message: route %q, want environmental", got)
	}
	repeated := strings.Repeat("a", 100<<10)
	if got := triage.Classify(repeated).Route; got != directory.RouteUnclear {
		t.Errorf("100 KB of one letter: route %q, want unclear", got)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "help", "knife", "fly tipping", "\xff\xfe", "میرا", strings.Repeat("x ", 1000), "last week he had a knife now"} {
		f.Add(s)
	}
	dir, err := directory.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := triage.Classify(s)
		if got.Route != directory.RouteUnclear && !dir.Knows(got.Route) {
			t.Fatalf("Classify(%q) = unknown route %q", s, got.Route)
		}
		switch got.Danger {
		case triage.DangerNow, triage.DangerCheck, triage.DangerNone:
		default:
			t.Fatalf("Classify(%q) danger %q", s, got.Danger)
		}
		if (got.Danger == triage.DangerNow) != (got.Route == directory.RouteEmergency) {
			t.Fatalf("Classify(%q) = route %q with danger %q", s, got.Route, got.Danger)
		}
		if got.Confidence < 0 || got.Confidence > 1 {
			t.Fatalf("Classify(%q) confidence %v", s, got.Confidence)
		}
	})
}

func TestClassifyIgnoresTerminalEscapes(t *testing.T) {
	if got := triage.Classify("\x1b[31mgraffiti\x1b[0m on the bridge").Route; got != "environmental" {
		t.Errorf("route %q, want environmental", got)
	}
}
