package triage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDetectLanguage holds the language detector to any input: mixed
// languages, scripts it does not read, transliteration with typos, invalid
// UTF-8. It never panics, it names a language it knows (or Und, or ""),
// and the whole decision still answers.
func FuzzDetectLanguage(f *testing.F) {
	for _, s := range []string{
		"", "a", "mój mąż mnie bije", "mera shohar mujhe marta hai", "meraa shohr mujy maarta he",
		"میرا فون چوری ہو گیا", "ਮੇਰਾ ਫੋਨ ਚੋਰੀ ਹੋ ਗਿਆ", "আমার ফোন চুরি হয়ে গেছে", "mi-a fost furată geanta",
		"hola me robaron", "我的手机被偷了", "தயவு செய்து உதவுங்கள்", "سرق هاتفي", "привет помогите",
		"my bike was stolen ale moj rower też", "pomocy help madad", "\xff\xfe", "ą\u0301ę", strings.Repeat("ਮ", 5000),
	} {
		f.Add(s)
	}
	known := map[string]bool{"": true, "en": true, Und: true}
	lx := compiled()
	for _, code := range lx.languages {
		known[code] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := clean(s)
		n := normalise(withoutAddresses(c.text))
		got := detectLanguage(lx, c.text, lx.match(n), "")
		if !known[got] && got != "hi" && got != "ar" {
			t.Fatalf("detectLanguage(%q) = %q, not a language it knows", s, got)
		}
		for _, hint := range []string{"pl", "ur"} {
			_ = detectLanguage(lx, c.text, lx.match(n), hint)
		}
		r := Classify(s)
		if r.Route == "" || r.Danger == "" || !utf8.ValidString(r.Lang) {
			t.Fatalf("Classify(%q) = %+v", s, r)
		}
	})
}

// TestLanguageFiles checks that every language file has a code, and
// that the languages the classifier reads have danger, check and now
// words and a glossary.
func TestLanguageFiles(t *testing.T) {
	langs, err := parseLanguages(languagesData)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range langs {
		if seen[l.code] {
			t.Errorf("%s: code %q given twice", l.name, l.code)
		}
		seen[l.code] = true
		if len(l.common) < 10 {
			t.Errorf("%s: %d common words, want at least 10", l.name, len(l.common))
		}
		if !trainedLanguages[l.code] {
			continue
		}
		if len(l.danger) == 0 || len(l.check) == 0 || len(l.now) == 0 || len(l.help) == 0 {
			t.Errorf("%s: danger %d, check %d, now %d, help %d words; want some of each", l.name, len(l.danger), len(l.check), len(l.now), len(l.help))
		}
		if len(glossaryForms(l.code)) < 300 {
			t.Errorf("%s: %d glossary forms, want at least 300", l.name, len(glossaryForms(l.code)))
		}
	}
	for code := range trainedLanguages {
		if !seen[code] {
			t.Errorf("training/%s.txt has no languages/%s.txt to recognise it", code, code)
		}
	}
	for _, bad := range []string{"## x\ncommon: a b\n", "## x\ncode: Polish\n", "common: a\n", "## x\ncode: xx\nwords: a\n"} {
		if _, err := parseLanguages(bad); err == nil {
			t.Errorf("parseLanguages(%q) = nil error", bad)
		}
	}
	if _, _, err := parseGlossary("form form\n"); err == nil {
		t.Error("parseGlossary without ' = ' = nil error")
	}
}

// Every English phrase list is in the lexicon under its own name: a list
// left out, or filed under another's, would silently switch a rule off.
func TestEveryListIsCompiled(t *testing.T) {
	lx := compiled()
	seen := map[int]bool{}
	for _, e := range lx.entries {
		seen[e.list] = true
	}
	for l := range listForeignDanger {
		if !seen[l] {
			t.Errorf("list %d has no phrases in the lexicon", l)
		}
	}
	probes := map[int]string{
		listAlarmCall: "do i call 999 or 101", listReassured: "he is at his dads",
		listHarmless: "following me on instagram", listPursuer: "a man",
		listFollowed: "behind me since", listSince: "since i left",
		listUnreachable: "not answering", listLongHabit: "for weeks",
	}
	for l, text := range probes {
		if !lx.match(normalise(text)).any[l] {
			t.Errorf("%q does not match list %d", text, l)
		}
	}
}

// The danger rules alone, without the model: what each rule must and must
// not match, from the reviews of the rules.
func TestDangerRules(t *testing.T) {
	tests := []struct {
		text string
		want Danger
	}{
		{"a puppy followed me home, someone must have lost it", DangerNone},
		{"we split up last year but he has just turned up and is trying to get in", DangerNow},
		{"a girl is being sexually assaulted behind the shops", DangerNow},
		{"my son is 13 and hes in a car with a man he met online", DangerCheck},
		{"the lad who bothers my uncle has got into his flat and is pinning him down", DangerNow},
		{"my neighbour is outside with a baseball bat shouting my name", DangerNow},
		{"my neighbour hit my car with a hammer last year", DangerNone},
		{"she is trying to get in shape for summer", DangerNone},
		{"the fight at the bus station is over now, theyve all gone home", DangerNone},
		{"a man comes into my room when i sleep, it happened 3 times", DangerNone},
		{"he is hitting me and has done it 3 times tonight", DangerNow},
		{"someone keeps knocking and trying the door, he threatened me last month, i am hiding upstairs", DangerCheck},
		{"my brother is on the floor after a fight and he is not breathing", DangerNow},
		{"my mates drink was spiked and she is unconscious in the toilets", DangerNow},
		{"my dad was not breathing for a few seconds last night, the doctor says its apnoea", DangerCheck},
		{"i think my drink was spiked and i am collapsing", DangerNow},
		{"my brother overdosed last summer, hes in rehab now, what help is there for us", DangerCheck},
		{"my daughter went to the cinema with a friend she met online at school", DangerNone},
		{"i was being chased by some lads last week", DangerNone},
		{"he is being beaten up every week by the older boys", DangerCheck},
		{"after being attacked last year i want to talk to someone", DangerNone},
		{"a man has followed me home from the station", DangerNow},
		{"the guys from the gym are waiting outside my flat to pick me up for football", DangerNone},
		{"my ex is waiting outside my flat and wont go", DangerNow},
		{"people keep following me on instagram", DangerNone},
		{"my son is 18 and his passport has not arrived", DangerNone},
		{"my child benefit never arrived", DangerNone},
		{"my son is 8 and not answering his phone", DangerCheck},
		{"my son ate his dinner then played on his tablet", DangerNone},
		{"my 3 year old ate dads heart tablets", DangerNow},
		{"my 4 year old took some of my tablets", DangerCheck},
		{"my daughter took her tablets this morning", DangerNone},
		{"my son took my vape to school", DangerNone},
		{"my landlord is going to cut us off from the wifi", DangerNone},
		{"he said he is going to cut her", DangerCheck},
		{"i am hiding presents from the kids", DangerNone},
		{"im hiding in the wardrobe he is looking for me", DangerNow},
		{"do i call 999 or 101 for a stolen bike", DangerNone},
		{"i rang 999 by mistake, will i get in trouble", DangerNone},
		{"emergency", DangerCheck},
		{"emergency non molestation order, he has been threatening me for weeks", DangerCheck},
		{"my partner has been behind me 100 percent since the assault", DangerNone},
		{"two lads just mugged me at knifepoint and ran off towards the park", DangerNow},
		{"weed smoke comes into my flat every night", DangerNone},
		{"he threatened to burn the house down years ago, hes out of prison now", DangerNone},
		{"my ex keeps threatening me, he knows where i live now", DangerCheck},
		{"wczoraj mąż mnie pobił, teraz jest w pracy", DangerCheck},
		{"wczoraj mąż mnie uderzył", DangerCheck},
		{"im safe right now but he has a knife and is outside my window", DangerCheck},
		{"woke up to find the house on fire", DangerNow},
		{"i just got kicked in the head and feel dizzy", DangerNow},
		{"he sometimes hits me but now hes choking me", DangerNow},
		{"hes at work now but his brother is here with a gun", DangerNow},
		{"he is strangling me with a belt", DangerNow},
		{"i just got robbed of my sleep lol", DangerNone},
		{"the shop just got robbed last month", DangerNone},
		{"im beating mum at scrabble", DangerNone},
		{"someone stole my hammer from my shed", DangerNone},
		{"not in danger but i want advice about my violent ex", DangerNone},
		{"our son has learning disabilities and slipped away from his carer in town", DangerCheck},
		{"fourth complaint about the same men drinking and fighting outside my shop", DangerNone},
		{"the council closed my asb case but the problem is still going on", DangerNone},
		{"my bank account is bleeding money", DangerNone},
		{"the fight is over now and everyones gone", DangerNone},
		{"i witnessed a shooting on my road, who do i give a statement to", DangerNone},
		{"there is a stabbing outside right now, i am a witness", DangerNow},
		{"the fire is out now, it was a bin fire", DangerNone},
		{"the fire is out of control", DangerNow},
		{"the child upstairs screams every night and i have seen marks on her face, no one is hurting her right now but im worried", DangerNone},
		{"my partner is beating our child", DangerCheck},
		{"hes been drinking all day and now he is hitting the kids", DangerNow},
		{"i wrote a letter to my mp about crime", DangerNone},
		{"i broke my back in a car crash in 2010", DangerNone},
		{"i wrote letters to my family for christmas", DangerNone},
		{"the fire brigade came last time, now the kitchen is on fire again right now", DangerNow},
		{"everyones gone and he has locked me in the bedroom", DangerNow},
		{"someone is breaking in, i live in the last house on the road", DangerNow},
		{"i saw a man collapse, hes not breathing", DangerNow},
		{"a man pulled a knife on me at the bus stop last tuesday and took my phone", DangerNone},
		{"boss has locked us all in the back, one guy is hurt bad", DangerNow},
		{"im scared she will overdose one day", DangerCheck},
		{"mama ma demencję, wyszła wczoraj i nie wróciła", DangerCheck},
		{"they watch him all time, now he cant leave the factory", DangerCheck},
		{"he beats me all the time and he is hitting me right now", DangerNow},
		{"a man in a car followed me home last tuesday", DangerCheck},
		{"my ex said he would kill me, he lives in birmingham now", DangerCheck},
		{"my landlord is strangling me with the rent", DangerNone},
		{"ive written goodbye letters to my kids and i have the pills here", DangerNow},
		{"i have written a suicide note and i have the pills here", DangerNow},
		{"i have written a suicide note", DangerCheck},
		{"everything is ready, i just wanted someone to know before i go", DangerCheck},
		{"i found my late husbands suicide note from years ago", DangerNone},
		{"not sure if its an emergency but my dad collapsed and is not breathing", DangerNow},
		{"if its an emergency can i text 999", DangerNone},
		{"no one is hurt yet, he is smashing the windows with a machete", DangerCheck},
		{"no one is hurt at the moment, he is pointing a gun at us", DangerNow},
		{"i am not feeling safe right now, he is punching me", DangerNow},
		{"i cannot feel my legs after he pushed me down the stairs", DangerCheck},
		{"is this an emergency? he is kicking the door in", DangerNow},
		{"is this an emergency? my neighbours music is really loud", DangerNone},
		{"i dont know if this counts as an emergency but my dad collapsed and is not breathing", DangerNow},
		{"i dont think i am safe right now, he is outside my window with a knife", DangerNow},
		{"i wouldnt say im safe, he has a gun", DangerNow},
		{"i am safe he has a gun in the house", DangerCheck},
		{"i am safe at the moment, he hits me every week", DangerNone},
		{"every night she screams at me and now she is throwing knives at me", DangerNow},
		{"nie czuję nóg po wypadku", DangerCheck},
		{"someone just snatched my bag and ran off", DangerNow},
		{"a lad on a bike snatched my phone right now", DangerNow},
		{"someone snatched my bag last week", DangerNone},
		{"i take too many pills, i just took 50", DangerNow},
		{"he is outside with a knife, he got out of prison last month", DangerNow},
		{"my ex who hit me last year is outside with a knife", DangerNow},
		{"my ex is outside my house, he beat me up last year", DangerCheck},
		{"he was outside with a knife last night", DangerNone},
		{"the knife crime meeting is here on tuesday", DangerNone},
		{"the man who beat me up is coming out of prison next month, i need advice", DangerCheck},
		{"i am not going to kill myself but i feel like i am drowning at the moment", DangerNone},
		{"i will not kill myself, i have already taken too many pills", DangerNow},
		{"i am not going to kill myself, my boyfriend is outside with a knife", DangerNow},
		{"i am giving away my old clothes to charity", DangerNone},
		{"i am not safe right now he is hitting me", DangerNow},
		{"i do not feel safe at the moment, he is banging on the door", DangerNow},
		{"whenever he drinks he hits me and he is drunk and hitting me now", DangerNow},
		{"someone is holding my son and wants money", DangerNow},
		{"i have the pills in my hand and i am going to take them all", DangerNow},
		{"my brother left a suicide note last year, he survived and hes in therapy", DangerNone},
		{"someone put something in my drink, i cannot feel my legs", DangerCheck},
		{"someone put something in my drink, i cannot feel my legs right now", DangerNow},
		{"two men shouted abuse at us for holding hands in the park last week", DangerNone},
		{"the girl next door told me her stepdad hits her", DangerCheck},
		{"not sure if its an emergency but a man has a knife outside the shop right now", DangerNow},
		{"not sure if its an emergency but the boy next door says his dad hits him", DangerCheck},
		{"i have had dark thoughts for years, not in danger tonight but i want help", DangerNone},
		{"i want to kill myself tonight", DangerNow},
		{"my son took an overdose last summer, he is doing better now", DangerCheck},
		{"they lock me in the house whenever they go out", DangerCheck},
	}
	lx := compiled()
	for _, tt := range tests {
		n := normalise(tt.text)
		m := lx.match(n)
		// As classify does for a message in another language.
		lang := detectLanguage(lx, tt.text, m, "")
		got := stronger(danger(lx, n, tt.text, m), foreignDanger(m, lang == "" || lang == "en"))
		if got != tt.want {
			t.Errorf("danger(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}
