package tui

import (
	"fmt"
	"sync"

	"golang.org/x/text/language"

	"github.com/sshcv/sshcv/profiles"
)

// The viewer's own words (key help, footer, help, search, picker, quit line, the
// too-small notice, the card's labels, the message form) are in one catalogue, in
// every language the viewer speaks; they follow the language of the CV on screen (in
// the picker, the visitor's), and English when the viewer does not speak it.
//
// A new word is a constant of type word (before numWords), and its text in every
// catalogue: TestCatalogues fails while one lacks it, or gives it other fmt verbs
// than English does. Where the word is shown, write words.get(wName), or
// words.f(wName, args...) for a text with verbs; a component reaches the words of
// its viewer through viewer.words.

// word names one text of the viewer.
type word int

// The viewer's words.
const (
	// Key help.
	wNextSection word = iota
	wPrevSection
	wGoToSection
	wScrollDown
	wScrollUp
	wPageDown
	wPageUp
	wHalfDown
	wHalfUp
	wTop
	wBottom
	wSearchCV
	wNextMatch
	wPrevMatch
	wClearSearch
	wCopyContact
	wAllCVs
	wHelp
	wQuit
	wLanguage
	wQRCode
	wLeaveMessage
	wMessage
	wSection
	wScroll
	wSearch
	wCloseHelp
	wCancel
	wDone
	wMoveDown
	wMoveUp
	wOpen
	wClearFilter
	wMove
	wTypeKey
	wFilter

	// Footer and search.
	wMore
	wPosAll
	wPosTop
	wPosEnd
	wTypeToSearch
	wNoMatches
	wOneMatch
	wNMatches
	wNoMatchFor
	wWrappedTop
	wWrappedBottom
	wNothingToCopy
	wCopied
	wMouseHelp

	// Picker.
	wTypeToFilter
	wFilterLabel
	wChooseCV
	wNoCVNamed
	wDidYouMean
	wNoCVMatches

	// The QR code.
	wCloseQR
	wQRCannot
	wEscCloses
	wQRNeeds
	wQRVCard

	// Quit line and the too-small notice.
	wThanks
	wComeBack
	wWeb
	wEnlarge
	wNeedsHave
	wEnlargeShort1
	wEnlargeShort2
	wNeededShort
	wHaveShort

	// The CV's card and tabs.
	wAbout
	wEmail
	wPhone
	wWebLabel
	wSectionTitle

	// The message form.
	wLeaveTitle
	wFromLabel
	wFromPlaceholder
	wBodyLabel
	wBodyPlaceholder
	wSend
	wSendKey
	wNextField
	wBack
	wSending
	wWriteFirst
	wNotSent
	wSent

	numWords
)

// words is one language's catalogue.
type words struct {
	lang string // the catalogue's tag
	text [numWords]string
}

// get is the text of w.
func (ws *words) get(w word) string { return ws.text[w] }

// f is the text of w with its verbs filled in.
func (ws *words) f(w word, args ...any) string { return fmt.Sprintf(ws.text[w], args...) }

var english = &words{lang: "en", text: [numWords]string{
	wNextSection: "next section", wPrevSection: "previous section", wGoToSection: "go to section",
	wScrollDown: "scroll down", wScrollUp: "scroll up", wPageDown: "page down", wPageUp: "page up",
	wHalfDown: "half page down", wHalfUp: "half page up", wTop: "top", wBottom: "bottom",
	wSearchCV: "search the CV", wNextMatch: "next match", wPrevMatch: "previous match",
	wClearSearch: "clear search", wCopyContact: "copy contact", wAllCVs: "all CVs", wHelp: "help",
	wQuit: "quit", wLanguage: "language", wQRCode: "QR code", wLeaveMessage: "leave a message", wMessage: "message", wSection: "section", wScroll: "scroll", wSearch: "search",
	wCloseHelp: "close help", wCancel: "cancel", wDone: "done", wMoveDown: "move down",
	wMoveUp: "move up", wOpen: "open", wClearFilter: "clear filter", wMove: "move",
	wTypeKey: "type", wFilter: "filter",

	wMore: "↑↓ more", wPosAll: "All", wPosTop: "Top", wPosEnd: "End",
	wTypeToSearch: "type to search", wNoMatches: "no matches", wOneMatch: "1/1 match",
	wNMatches: "%d/%d matches", wNoMatchFor: "No match for “%s”",
	wWrappedTop: "Search wrapped to the top", wWrappedBottom: "Search wrapped to the bottom",
	wNothingToCopy: "Nothing to copy: this CV has no email or link",
	wCopied:        "Copied %s to the clipboard",
	wMouseHelp:     "Mouse: the wheel scrolls, a click on a tab opens it.",

	wTypeToFilter: "Type to filter", wFilterLabel: "Filter: ", wChooseCV: "Choose a CV",
	wNoCVNamed: "No CV named '%s' here", wDidYouMean: "Did you mean %s? Press enter to open it.",
	wNoCVMatches: "No CV matches “%s”. Esc clears the filter.",

	wCloseQR: "close the QR code", wQRCannot: "This CV's QR code cannot be drawn", wEscCloses: "esc closes",
	wQRNeeds: "QR code needs %dx%d, window is %dx%d", wQRVCard: "Contact card (vCard) of %s",

	wThanks: "Thanks for reading %s's CV.", wComeBack: "Come back any time:", wWeb: "web:",
	wEnlarge: "Please enlarge the window", wNeedsHave: "needs %dx%d, have %dx%d",
	wEnlargeShort1: "Please enlarge", wEnlargeShort2: "the window",
	wNeededShort: "%dx%d needed", wHaveShort: "have %dx%d",

	wAbout: "About", wEmail: "Email", wPhone: "Phone", wWebLabel: "Web", wSectionTitle: "Section",

	wLeaveTitle: "Leave %s a message", wFromLabel: "Name / how to reach you (optional)",
	wFromPlaceholder: "Jane Doe, jane@example.com", wBodyLabel: "Message", wBodyPlaceholder: "Your message",
	wSend: "Send", wSendKey: "send", wNextField: "next", wBack: "back", wSending: "Sending…",
	wWriteFirst: "Write a message first (tab moves to it).", wNotSent: "Not sent: %s. Your message is kept.",
	wSent: "Sent. %s will read it.",
}}

var catalogues = []*words{english, {lang: "de", text: [numWords]string{
	wNextSection: "nächster Abschnitt", wPrevSection: "voriger Abschnitt", wGoToSection: "zu Abschnitt springen",
	wScrollDown: "nach unten", wScrollUp: "nach oben", wPageDown: "Seite vor", wPageUp: "Seite zurück",
	wHalfDown: "halbe Seite vor", wHalfUp: "halbe Seite zurück", wTop: "Anfang", wBottom: "Ende",
	wSearchCV: "im Lebenslauf suchen", wNextMatch: "nächster Treffer", wPrevMatch: "voriger Treffer",
	wClearSearch: "Suche löschen", wCopyContact: "Kontakt kopieren", wAllCVs: "alle Lebensläufe", wHelp: "Hilfe",
	wQuit: "beenden", wLanguage: "Sprache", wQRCode: "QR-Code", wLeaveMessage: "Nachricht hinterlassen", wMessage: "Nachricht", wSection: "Abschnitt", wScroll: "rollen", wSearch: "suchen",
	wCloseHelp: "Hilfe schließen", wCancel: "abbrechen", wDone: "fertig", wMoveDown: "nach unten",
	wMoveUp: "nach oben", wOpen: "öffnen", wClearFilter: "Filter löschen", wMove: "wählen",
	wTypeKey: "tippen", wFilter: "filtern",

	wMore: "↑↓ mehr", wPosAll: "Alles", wPosTop: "Anfang", wPosEnd: "Ende",
	wTypeToSearch: "Suchbegriff eingeben", wNoMatches: "keine Treffer", wOneMatch: "1/1 Treffer",
	wNMatches: "%d/%d Treffer", wNoMatchFor: "Kein Treffer für „%s“",
	wWrappedTop: "Suche oben fortgesetzt", wWrappedBottom: "Suche unten fortgesetzt",
	wNothingToCopy: "Nichts zu kopieren: Dieser Lebenslauf hat weder E-Mail noch Link",
	wCopied:        "%s in die Zwischenablage kopiert",
	wMouseHelp:     "Maus: Das Rad blättert, ein Klick auf einen Reiter öffnet ihn.",

	wTypeToFilter: "Zum Filtern tippen", wFilterLabel: "Filter: ", wChooseCV: "Lebenslauf wählen",
	wNoCVNamed: "Hier gibt es keinen Lebenslauf „%s“", wDidYouMean: "Meinten Sie %s? Enter öffnet ihn.",
	wNoCVMatches: "Kein Lebenslauf passt zu „%s“. Esc löscht den Filter.",

	wCloseQR: "QR-Code schließen", wQRCannot: "Der QR-Code dieses Lebenslaufs lässt sich nicht zeichnen", wEscCloses: "Esc schließt",
	wQRNeeds: "QR-Code braucht %dx%d, Fenster ist %dx%d", wQRVCard: "Kontaktkarte (vCard) von %s",

	wThanks: "Danke, dass Sie den Lebenslauf von %s gelesen haben.", wComeBack: "Schauen Sie jederzeit wieder vorbei:", wWeb: "Web:",
	wEnlarge: "Fenster bitte vergrößern", wNeedsHave: "braucht %dx%d, hat %dx%d",
	wEnlargeShort1: "Fenster bitte", wEnlargeShort2: "vergrößern",
	wNeededShort: "%dx%d nötig", wHaveShort: "hat %dx%d",

	wAbout: "Profil", wEmail: "E-Mail", wPhone: "Telefon", wWebLabel: "Web", wSectionTitle: "Abschnitt",

	wLeaveTitle: "Nachricht an %s", wFromLabel: "Name / Kontakt (freiwillig)",
	wFromPlaceholder: "Max Muster, max@example.com", wBodyLabel: "Nachricht", wBodyPlaceholder: "Ihre Nachricht",
	wSend: "Senden", wSendKey: "senden", wNextField: "weiter", wBack: "zurück", wSending: "Wird gesendet…",
	wWriteFirst: "Bitte erst eine Nachricht schreiben (Tab springt hin).", wNotSent: "Nicht gesendet: %s. Ihre Nachricht bleibt erhalten.",
	wSent: "Gesendet. %s wird sie lesen.",
}}, {lang: "fr", text: [numWords]string{
	wNextSection: "section suivante", wPrevSection: "section précédente", wGoToSection: "aller à la section",
	wScrollDown: "descendre", wScrollUp: "monter", wPageDown: "page suivante", wPageUp: "page précédente",
	wHalfDown: "demi-page suivante", wHalfUp: "demi-page précédente", wTop: "début", wBottom: "fin",
	wSearchCV: "chercher dans le CV", wNextMatch: "résultat suivant", wPrevMatch: "résultat précédent",
	wClearSearch: "effacer la recherche", wCopyContact: "copier le contact", wAllCVs: "tous les CV", wHelp: "aide",
	wQuit: "quitter", wLanguage: "langue", wQRCode: "code QR", wLeaveMessage: "laisser un message", wMessage: "message", wSection: "section", wScroll: "défiler", wSearch: "chercher",
	wCloseHelp: "fermer l’aide", wCancel: "annuler", wDone: "valider", wMoveDown: "descendre",
	wMoveUp: "monter", wOpen: "ouvrir", wClearFilter: "effacer le filtre", wMove: "choisir",
	wTypeKey: "taper", wFilter: "filtrer",

	wMore: "↑↓ suite", wPosAll: "Tout", wPosTop: "Haut", wPosEnd: "Bas",
	wTypeToSearch: "tapez pour chercher", wNoMatches: "aucun résultat", wOneMatch: "1/1 résultat",
	wNMatches: "%d/%d résultats", wNoMatchFor: "Aucun résultat pour « %s »",
	wWrappedTop: "Recherche reprise en haut", wWrappedBottom: "Recherche reprise en bas",
	wNothingToCopy: "Rien à copier : ce CV n’a ni e-mail ni lien",
	wCopied:        "%s copié dans le presse-papiers",
	wMouseHelp:     "Souris : la molette fait défiler, un clic sur un onglet l’ouvre.",

	wTypeToFilter: "Tapez pour filtrer", wFilterLabel: "Filtre : ", wChooseCV: "Choisissez un CV",
	wNoCVNamed: "Aucun CV nommé « %s » ici", wDidYouMean: "Vouliez-vous dire %s ? Entrée pour l’ouvrir.",
	wNoCVMatches: "Aucun CV ne correspond à « %s ». Échap efface le filtre.",

	wCloseQR: "fermer le code QR", wQRCannot: "Le code QR de ce CV ne peut pas être dessiné", wEscCloses: "Échap ferme",
	wQRNeeds: "le code QR requiert %dx%d, la fenêtre fait %dx%d", wQRVCard: "Carte de contact (vCard) de %s",

	wThanks: "Merci d’avoir lu le CV de %s.", wComeBack: "Revenez quand vous voulez :", wWeb: "web :",
	wEnlarge: "Agrandissez la fenêtre", wNeedsHave: "requis %dx%d, actuel %dx%d",
	wEnlargeShort1: "Agrandissez", wEnlargeShort2: "la fenêtre",
	wNeededShort: "%dx%d requis", wHaveShort: "actuel %dx%d",

	wAbout: "Profil", wEmail: "E-mail", wPhone: "Téléphone", wWebLabel: "Web", wSectionTitle: "Section",

	wLeaveTitle: "Laisser un message à %s", wFromLabel: "Votre nom / contact (facultatif)",
	wFromPlaceholder: "Marie Dupont, marie@example.com", wBodyLabel: "Message", wBodyPlaceholder: "Votre message",
	wSend: "Envoyer", wSendKey: "envoyer", wNextField: "suivant", wBack: "retour", wSending: "Envoi…",
	wWriteFirst: "Écrivez d’abord un message (tab y mène).", wNotSent: "Non envoyé : %s. Votre message est conservé.",
	wSent: "Envoyé. %s le lira.",
}}, {lang: "es", text: [numWords]string{
	wNextSection: "sección siguiente", wPrevSection: "sección anterior", wGoToSection: "ir a la sección",
	wScrollDown: "bajar", wScrollUp: "subir", wPageDown: "página siguiente", wPageUp: "página anterior",
	wHalfDown: "media página abajo", wHalfUp: "media página arriba", wTop: "inicio", wBottom: "final",
	wSearchCV: "buscar en el CV", wNextMatch: "siguiente resultado", wPrevMatch: "resultado anterior",
	wClearSearch: "borrar la búsqueda", wCopyContact: "copiar el contacto", wAllCVs: "todos los CV", wHelp: "ayuda",
	wQuit: "salir", wLanguage: "idioma", wQRCode: "código QR", wLeaveMessage: "dejar un mensaje", wMessage: "mensaje", wSection: "sección", wScroll: "desplazar", wSearch: "buscar",
	wCloseHelp: "cerrar la ayuda", wCancel: "cancelar", wDone: "listo", wMoveDown: "bajar",
	wMoveUp: "subir", wOpen: "abrir", wClearFilter: "borrar el filtro", wMove: "elegir",
	wTypeKey: "escribir", wFilter: "filtrar",

	wMore: "↑↓ más", wPosAll: "Todo", wPosTop: "Inicio", wPosEnd: "Fin",
	wTypeToSearch: "escriba para buscar", wNoMatches: "sin resultados", wOneMatch: "1/1 resultado",
	wNMatches: "%d/%d resultados", wNoMatchFor: "Sin resultados para «%s»",
	wWrappedTop: "La búsqueda volvió al principio", wWrappedBottom: "La búsqueda volvió al final",
	wNothingToCopy: "Nada que copiar: este CV no tiene correo ni enlace",
	wCopied:        "%s copiado al portapapeles",
	wMouseHelp:     "Ratón: la rueda desplaza, un clic en una pestaña la abre.",

	wTypeToFilter: "Escriba para filtrar", wFilterLabel: "Filtro: ", wChooseCV: "Elija un CV",
	wNoCVNamed: "Aquí no hay ningún CV llamado «%s»", wDidYouMean: "¿Quería decir %s? Intro lo abre.",
	wNoCVMatches: "Ningún CV coincide con «%s». Esc borra el filtro.",

	wCloseQR: "cerrar el código QR", wQRCannot: "El código QR de este CV no se puede dibujar", wEscCloses: "Esc cierra",
	wQRNeeds: "el código QR necesita %dx%d, la ventana es %dx%d", wQRVCard: "Tarjeta de contacto (vCard) de %s",

	wThanks: "Gracias por leer el CV de %s.", wComeBack: "Vuelva cuando quiera:", wWeb: "web:",
	wEnlarge: "Agrande la ventana", wNeedsHave: "necesita %dx%d, hay %dx%d",
	wEnlargeShort1: "Agrande", wEnlargeShort2: "la ventana",
	wNeededShort: "necesita %dx%d", wHaveShort: "hay %dx%d",

	wAbout: "Perfil", wEmail: "Correo", wPhone: "Teléfono", wWebLabel: "Web", wSectionTitle: "Sección",

	wLeaveTitle: "Dejar un mensaje a %s", wFromLabel: "Nombre / cómo contactarle (opcional)",
	wFromPlaceholder: "Ana García, ana@example.com", wBodyLabel: "Mensaje", wBodyPlaceholder: "Su mensaje",
	wSend: "Enviar", wSendKey: "enviar", wNextField: "siguiente", wBack: "volver", wSending: "Enviando…",
	wWriteFirst: "Escriba primero un mensaje (tab lleva a él).", wNotSent: "No enviado: %s. Su mensaje se conserva.",
	wSent: "Enviado. %s lo leerá.",
}}, {lang: "pt", text: [numWords]string{
	wNextSection: "próxima seção", wPrevSection: "seção anterior", wGoToSection: "ir para a seção",
	wScrollDown: "descer", wScrollUp: "subir", wPageDown: "página seguinte", wPageUp: "página anterior",
	wHalfDown: "meia página abaixo", wHalfUp: "meia página acima", wTop: "início", wBottom: "fim",
	wSearchCV: "buscar no currículo", wNextMatch: "próximo resultado", wPrevMatch: "resultado anterior",
	wClearSearch: "limpar a busca", wCopyContact: "copiar o contato", wAllCVs: "todos os currículos", wHelp: "ajuda",
	wQuit: "sair", wLanguage: "idioma", wQRCode: "código QR", wLeaveMessage: "deixar uma mensagem", wMessage: "mensagem", wSection: "seção", wScroll: "rolar", wSearch: "buscar",
	wCloseHelp: "fechar a ajuda", wCancel: "cancelar", wDone: "pronto", wMoveDown: "descer",
	wMoveUp: "subir", wOpen: "abrir", wClearFilter: "limpar o filtro", wMove: "escolher",
	wTypeKey: "digitar", wFilter: "filtrar",

	wMore: "↑↓ mais", wPosAll: "Tudo", wPosTop: "Início", wPosEnd: "Fim",
	wTypeToSearch: "digite para buscar", wNoMatches: "nenhum resultado", wOneMatch: "1/1 resultado",
	wNMatches: "%d/%d resultados", wNoMatchFor: "Nenhum resultado para “%s”",
	wWrappedTop: "A busca voltou ao início", wWrappedBottom: "A busca voltou ao fim",
	wNothingToCopy: "Nada para copiar: este currículo não tem e-mail nem link",
	wCopied:        "%s copiado para a área de transferência",
	wMouseHelp:     "Mouse: a roda rola, um clique numa aba a abre.",

	wTypeToFilter: "Digite para filtrar", wFilterLabel: "Filtro: ", wChooseCV: "Escolha um currículo",
	wNoCVNamed: "Nenhum currículo chamado “%s” aqui", wDidYouMean: "Você quis dizer %s? Enter o abre.",
	wNoCVMatches: "Nenhum currículo corresponde a “%s”. Esc limpa o filtro.",

	wCloseQR: "fechar o código QR", wQRCannot: "O código QR deste currículo não pode ser desenhado", wEscCloses: "Esc fecha",
	wQRNeeds: "o código QR precisa de %dx%d, a janela tem %dx%d", wQRVCard: "Cartão de contato (vCard) de %s",

	wThanks: "Obrigado por ler o currículo de %s.", wComeBack: "Volte quando quiser:", wWeb: "web:",
	wEnlarge: "Aumente a janela", wNeedsHave: "precisa de %dx%d, tem %dx%d",
	wEnlargeShort1: "Aumente", wEnlargeShort2: "a janela",
	wNeededShort: "precisa %dx%d", wHaveShort: "tem %dx%d",

	wAbout: "Perfil", wEmail: "E-mail", wPhone: "Telefone", wWebLabel: "Web", wSectionTitle: "Seção",

	wLeaveTitle: "Deixar uma mensagem para %s", wFromLabel: "Nome / como contatar você (opcional)",
	wFromPlaceholder: "Ana Souza, ana@example.com", wBodyLabel: "Mensagem", wBodyPlaceholder: "Sua mensagem",
	wSend: "Enviar", wSendKey: "enviar", wNextField: "próximo", wBack: "voltar", wSending: "Enviando…",
	wWriteFirst: "Escreva uma mensagem primeiro (tab leva até ela).", wNotSent: "Não enviada: %s. Sua mensagem foi mantida.",
	wSent: "Enviada. %s vai lê-la.",
}}}

// catalogueMatcher finds the catalogue for a language: "de-CH" gets German, "pt-BR"
// Portuguese.
var catalogueMatcher = sync.OnceValue(func() language.Matcher {
	tags := make([]language.Tag, len(catalogues))
	for i, c := range catalogues {
		tags[i] = language.Make(c.lang)
	}
	return language.NewMatcher(tags)
})

// wordsIn is the catalogue for a CV in lang (a BCP 47 tag); English when the viewer
// does not speak it.
func wordsIn(lang string) *words {
	if lang == "" || lang == english.lang {
		return english
	}
	t, err := language.Parse(lang)
	if err != nil {
		return english
	}
	return wordsFor(profiles.Languages{t})
}

// wordsFor is the catalogue that suits a visitor's languages best; English when none does.
func wordsFor(prefs profiles.Languages) *words {
	if len(prefs) == 0 {
		return english
	}
	if _, i, conf := catalogueMatcher().Match(prefs...); conf != language.No {
		return catalogues[i]
	}
	return english
}

// languageNames are languages' names in themselves, for the footer and the web page's
// language links. A table of the common ones rather than x/text's display tables,
// which would add megabytes to the binary for names few CVs need.
var languageNames = map[string]string{
	"ar": "العربية", "bg": "Български", "ca": "Català", "cs": "Čeština", "da": "Dansk",
	"de": "Deutsch", "el": "Ελληνικά", "en": "English", "es": "Español", "et": "Eesti",
	"eu": "Euskara", "fa": "فارسی", "fi": "Suomi", "fr": "Français", "ga": "Gaeilge",
	"gl": "Galego", "he": "עברית", "hi": "हिन्दी", "hr": "Hrvatski", "hu": "Magyar",
	"id": "Bahasa Indonesia", "is": "Íslenska", "it": "Italiano", "ja": "日本語", "ko": "한국어",
	"lt": "Lietuvių", "lv": "Latviešu", "ms": "Bahasa Melayu", "nb": "Norsk bokmål", "nl": "Nederlands",
	"nn": "Norsk nynorsk", "no": "Norsk", "pl": "Polski", "pt": "Português", "ro": "Română",
	"ru": "Русский", "sk": "Slovenčina", "sl": "Slovenščina", "sr": "Српски", "sv": "Svenska",
	"th": "ไทย", "tr": "Türkçe", "uk": "Українська", "vi": "Tiếng Việt", "zh": "中文",
}

// LanguageName is a language's name in that language, for a BCP 47 tag: "Deutsch" for
// "de", "Português (BR)" for "pt-BR"; the tag itself for a language not in the table.
func LanguageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	name, ok := languageNames[base.String()]
	if !ok {
		return tag
	}
	if region, conf := t.Region(); conf == language.Exact {
		name += " (" + region.String() + ")"
	} else if script, conf := t.Script(); conf == language.Exact {
		name += " (" + script.String() + ")"
	}
	return name
}
