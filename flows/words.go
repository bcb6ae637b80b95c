package flows

import (
	"fmt"

	"github.com/whereto-bot/whereto/directory"
)

// Everything the bot says that is not a contact detail lives here, so that
// wording can be reviewed in one place. Contact details come only from the
// directory.

const (
	msgMenu           = "What would you like to do?"
	msgReport         = "What would you like to report?"
	msgCrimeNow       = "Is it happening now, or is anyone in danger or hurt right now?"
	msgCrimeHate      = "Was anyone targeted because of who they are: their race, religion, sexual orientation, disability, or because they are transgender?"
	msgHateNow        = "Is anyone in danger or hurt right now?"
	msgSafeNow        = "Is the child or adult in danger right now?"
	msgOwnWords       = "Tell me in a sentence or two what happened or what you are worried about. I don't keep what you write."
	msgFind           = "Which contact are you looking for? Choose one, or type a name, such as \"MASH\" or \"101\"."
	msgFound          = "I found these. Which one?"
	msgAnythingElse   = "Is there anything else I can help with?"
	msgAfterDanger    = "When you are safe, I can tell you where to get support or how to report what happened."
	msgEmpty          = "I didn't get any words there."
	msgPleaseChoose   = "Sorry, I didn't follow. Please choose one of the answers below, or tell me what is happening."
	msgUnclear        = "I'm not sure I understood, and I don't want to guess. Which of these is closest?"
	msgNotEnglish     = "Sorry, I can only read English for now. Please write in English if you can, or choose from the menu below. If it is an emergency, call 999 even if you do not speak English: they can get an interpreter."
	msgTruncated      = "That was a long message, so I only read the first part. A few words about what happened are enough."
	msgForgotten      = "I have deleted this conversation's record. I never keep what you write. To remove the messages from your screen, delete the chat in your app. Send /start if you want to begin again."
	msgUnknownCommand = "I don't know that command."
	msgLostTrack      = "Sorry, I lost track of where we were (I clear conversations after a while). Let's start again."
	msgHelpIntro      = "I can tell you where to report something or where to get support in %s. Choose from the menu, or tell me in your own words what happened."
	msgHelpCommands   = "Commands:\n/start: start again\n/help: this help\n/about: about %s\n/forget: delete this conversation\n/emergency: what to do in an emergency"
	msgWelcome        = "Hello. I can tell you where to report something or where to get support in %s. This service is run by the %s."
	msgPrivacy        = "I don't keep what you write. Send /forget at any time to delete this conversation."
	msgDangerLine     = "If you are in danger now or a crime is happening, call %s."
	msgCallNow        = "Call %s now."
	msgInHours        = "It is office hours now (%s)."
	msgOutOfHours     = "It is outside office hours now (%s)."
	msgUseOOH         = " Use the out-of-hours number."
	msgArea           = "What is the first half of your postcode, for example LU1? Some services only cover certain areas, so this decides which number to give you. I only keep it for this conversation. Tap Skip if you would rather not say."
	msgNotPostcode    = "That doesn't look like the first half of a postcode (for example LU1 or LU4). Please try again, or tap Skip."
	msgClosed         = "%s is %s, so here is where else to go."
	msgNotYourArea    = "%s is only for people in %s, so it can't help with %s. Here is where to go instead."
	msgNotice         = "Notice: "
	msgClosedToday    = "It is outside office hours now: %s."
)

// routeIntro is said before a route's services.
var routeIntro = map[directory.Route]string{
	directory.RouteReportCrime:   "To report a crime, anti-social behaviour or information about crime when it is not an emergency:",
	directory.RouteEnvironmental: "To report fly-tipping, litter, graffiti, dog fouling, abandoned vehicles, parking or another environmental problem:",
	directory.RouteHateCrime:     "A hate crime is any crime or incident where someone is targeted because of their race, religion, sexual orientation, disability or because they are transgender. You can report it here:",
	directory.RouteSafeguarding:  "If a child or an adult is at risk of abuse, neglect or exploitation, you can ask for advice or report your concern here:",
	directory.RouteVictimSupport: "Support after a crime is free and confidential, whether or not the crime was reported to the police:",
}

// routeOffer is the label of a button that leads into a route.
var routeOffer = map[directory.Route]string{
	directory.RouteEmergency:     "Someone is in danger right now",
	directory.RouteReportCrime:   "Report a crime to the police",
	directory.RouteEnvironmental: "Report an environmental problem",
	directory.RouteHateCrime:     "Report a hate crime",
	directory.RouteSafeguarding:  "Worried about a child or an adult",
	directory.RouteVictimSupport: "Get support after a crime",
}

// afterRoute is the natural next step after each route's answer.
var afterRoute = map[directory.Route]directory.Route{
	directory.RouteEmergency:     directory.RouteVictimSupport,
	directory.RouteReportCrime:   directory.RouteVictimSupport,
	directory.RouteHateCrime:     directory.RouteVictimSupport,
	directory.RouteSafeguarding:  directory.RouteVictimSupport,
	directory.RouteVictimSupport: directory.RouteReportCrime,
}

// kindWord names a contact kind for people.
var kindWord = map[directory.ContactKind]string{
	directory.KindPhone: "Phone",
	directory.KindText:  "Text",
	directory.KindWeb:   "Website",
	directory.KindEmail: "Email",
}

// Apology is said when something went wrong inside whereto while handling
// a message. It always carries the emergency line, so that a fault never
// leaves a person in danger without the number.
func Apology(dir Directory) (replies []Reply) {
	defer func() {
		if recover() != nil {
			// The directory itself is broken; 999 is right everywhere in
			// the UK, and this is the one place it is not read from data.
			replies = []Reply{{Text: msgApology + "\n\n" + fmt.Sprintf(msgDangerLine, "999")}}
		}
	}()
	c := &conv{dir: dir}
	return []Reply{{Text: msgApology + "\n\n" + c.emergencyLine()}}
}

// ForgetFailed is said when /forget could not delete the session.
func ForgetFailed(dir Directory) []Reply {
	c := &conv{dir: dir}
	return []Reply{{Text: msgForgetFailed + "\n\n" + c.emergencyLine()}}
}

const (
	msgApology      = "Sorry, something went wrong on my side. Please try again in a moment, or send /start."
	msgForgetFailed = "Sorry, I could not delete this conversation's record just now. Please send /forget again in a moment. It is deleted automatically after a few hours anyway, and I never keep what you write."
)
