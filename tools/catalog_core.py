"""Swedish texts of the core and of click's own strings (source of core.po and click.po)."""

ROOT_HELP_EN = (
    "kundkit organises a small business's work with its customers: the register and each\n"
    "customer's permanent manager, purchases and discounts, key products, the staff's contribution\n"
    "to the sales plan, channels, complaints on a deadline, and service standards.\n\n\x08\n"
    "Example:\n  kundkit customer add --name \"Bygg & Montage AB\" --company --orgnr 556036-0793\n"
    "  kundkit customer list --format json")
ROOT_HELP_SV = (
    "kundkit organiserar ett litet företags arbete med sina kunder: kundregistret och varje\n"
    "kunds fasta kundansvarige, köp och rabatter, nyckelprodukter, personalens bidrag till\n"
    "säljplanen, kanaler, klagomål med tidsfrister och servicestandarder.\n\n\x08\n"
    "Exempel:\n  kundkit customer add --name \"Bygg & Montage AB\" --company --orgnr 556036-0793\n"
    "  kundkit customer list --format json")

CORE = {
    "a key must be plain text": "en nyckel måste vara vanlig text",
    "file not found": "filen finns inte",
    "YAML syntax error: {reason}": "YAML-syntaxfel: {reason}",
    "duplicate key '{key}'": "nyckeln '{key}' förekommer två gånger",
    "cannot read the file: {reason}": "kan inte läsa filen: {reason}",
    "yes/no (true/false)": "ja/nej (true/false)",
    "a number": "ett tal",
    "a whole number": "ett heltal",
    "text": "text",
    "a mapping of keys": "en samling nycklar",
    "a list": "en lista",
    "nothing": "ingenting",
    "(top level)": "(översta nivån)",
    "or": "eller",
    "'{value}' has the wrong form": "'{value}' har fel form",
    "unknown key '{key}'": "okänd nyckel '{key}'",
    "must not be empty": "får inte vara tom",
    "(did you mean '{hint}'?)": "(menade du '{hint}'?)",
    "missing required key '{key}'": "den obligatoriska nyckeln '{key}' saknas",
    "expected {expected}, got {got}": "väntade {expected}, fick {got}",
    "'{value}' is not one of: {allowed}": "'{value}' är inte något av: {allowed}",
    "{value} must be {op} {limit}": "{value} måste vara {op} {limit}",
    "(allowed here: {keys})": "(tillåtna här: {keys})",
    "'{text}' was read as {kind}, not as text; write it in quotes: \"{text}\"":
        "'{text}' lästes som {kind}, inte som text; skriv det inom citattecken: \"{text}\"",
    "not a JSON object": "inte ett JSON-objekt",
    "the store {path} has schema version {found}; this kundkit needs {wanted}: run 'kundkit db "
    "upgrade' (it makes a backup first)":
        "databasen {path} har schemaversion {found}; den här kundkit behöver {wanted}: kör "
        "'kundkit db upgrade' (den tar en säkerhetskopia först)",
    "the store {path} has schema version {found}, newer than this kundkit ({wanted}); upgrade kundkit":
        "databasen {path} har schemaversion {found}, nyare än den här kundkit ({wanted}); "
        "uppgradera kundkit",
    "{file}: the store file is damaged ({reason}); kundkit will not change it. Latest backup: {backup}":
        "{file}: databasfilen är skadad ({reason}); kundkit ändrar den inte. Senaste "
        "säkerhetskopia: {backup}",
    "the store {path} is busy: another kundkit process has held it for more than {seconds:g} s; "
    "try again":
        "databasen {path} är upptagen: en annan kundkit-process har hållit den i mer än "
        "{seconds:g} s; försök igen",
    "{file}: cannot read the store file ({reason}). Latest backup: {backup}":
        "{file}: kan inte läsa databasfilen ({reason}). Senaste säkerhetskopia: {backup}",
    "none": "ingen",
    "{file}: the commit journal is damaged; kundkit will not change the store. Latest backup: {backup}":
        "{file}: skrivjournalen är skadad; kundkit ändrar inte databasen. Senaste "
        "säkerhetskopia: {backup}",
    "the configuration must be a mapping of keys": "konfigurationen måste vara en samling nycklar",
    "{file}: no such configuration file": "{file}: konfigurationsfilen finns inte",
    "{file}: cannot read the configuration ({reason})": "{file}: kan inte läsa konfigurationen ({reason})",
    "unknown time zone '{name}'": "okänd tidszon '{name}'",
    "no kundkit.yaml here or in a parent folder; run 'kundkit init DIR' or give --config":
        "ingen kundkit.yaml här eller i en överordnad mapp; kör 'kundkit init MAPP' eller ange --config",
    "who is acting? give --as STAFF or set KUNDKIT_USER":
        "vem utför åtgärden? ange --as PERSONAL eller sätt KUNDKIT_USER",
    "plugin '{name}' was not loaded: {reason}": "tillägget '{name}' laddades inte: {reason}",
    "{name} must be an ISO date and time, not '{value}'":
        "{name} måste vara datum och tid i ISO-format, inte '{value}'",
    "a plugin named '{name}' is already loaded from {where}":
        "ett tillägg med namnet '{name}' är redan laddat från {where}",
    "no such file or folder": "filen eller mappen finns inte",
    "plugin '{plugin}' registered a {what} without a name":
        "tillägget '{plugin}' registrerade en {what} utan namn",
    "two plugins register the {what} '{name}': '{first}' and '{second}'":
        "två tillägg registrerar {what} '{name}': '{first}' och '{second}'",
    "two plugins define the configuration section '{name}'":
        "två tillägg definierar konfigurationsavsnittet '{name}'",
    "{file}: has no {meta}; not a kundkit backup": "{file}: saknar {meta}; inte en kundkit-säkerhetskopia",
    "{file}: no such backup": "{file}: ingen sådan säkerhetskopia",
    "{file}: not a kundkit backup ({reason})": "{file}: inte en kundkit-säkerhetskopia ({reason})",
    "the store has schema version {found}, newer than this kundkit ({wanted}); upgrade kundkit":
        "databasen har schemaversion {found}, nyare än den här kundkit ({wanted}); uppgradera kundkit",
    "{file}: unexpected member '{name}'; not a kundkit backup":
        "{file}: oväntad fil '{name}'; inte en kundkit-säkerhetskopia",
    "{file}: member {name} is damaged": "{file}: filen {name} är skadad",
    "{file}: schema version {found}, this kundkit reads {wanted}":
        "{file}: schemaversion {found}, den här kundkit läser {wanted}",
    "{file}: member {name} is damaged ({reason})": "{file}: filen {name} är skadad ({reason})",
    "{file}: schema version {found}, expected {wanted}": "{file}: schemaversion {found}, väntade {wanted}",
    "{where}: {table}.{field} refers to {target} '{value}', which does not exist":
        "{where}: {table}.{field} hänvisar till {target} '{value}', som inte finns",
    "no defaults for the language '{lang}'": "inga standardfiler för språket '{lang}'",
    "{path} already exists; kundkit will not overwrite a business":
        "{path} finns redan; kundkit skriver inte över ett företag",
    "{path} already exists and is not empty; kundkit will not overwrite it":
        "{path} finns redan och är inte tom; kundkit skriver inte över den",
    ROOT_HELP_EN: ROOT_HELP_SV,
    "Documentation: docs/ in the kundkit repository.": "Dokumentation: docs/ i kundkits arkiv.",
    "The business's kundkit.yaml (default: found in this folder or a parent).":
        "Företagets kundkit.yaml (standard: hittas i den här mappen eller en överordnad).",
    "The staff member who acts; recorded on what is created.":
        "Den i personalen som utför åtgärden; antecknas på det som skapas.",
    "Never ask; fail and name what is missing (implied when stdin is not a terminal).":
        "Fråga aldrig; misslyckas och tala om vad som saknas (gäller alltid när stdin inte är en "
        "terminal).",
    "Show tracebacks.": "Visa fullständiga felspår.",
    "warning: {message}": "varning: {message}",
    "Commands": "Kommandon",
    "Error: {message}": "Fel: {message}",
    "Check, back up, restore and inspect the store.":
        "Kontrollera, säkerhetskopiera, återställ och granska databasen.",
    "Check that every store file is readable and that references between tables hold.":
        "Kontrollera att varje databasfil går att läsa och att hänvisningar mellan tabeller stämmer.",
    "Take a consistent backup of the store (a zip file), under the store's lock.":
        "Ta en konsekvent säkerhetskopia av databasen (en zip-fil) under databasens lås.",
    "Replace the store with a backup. The current state is backed up first.":
        "Ersätt databasen med en säkerhetskopia. Nuvarande läge säkerhetskopieras först.",
    "Records and size of each table.": "Antal poster och storlek för varje tabell.",
    "Upgrade the store to this kundkit's schema version (after a backup).":
        "Uppgradera databasen till den här kundkits schemaversion (efter en säkerhetskopia).",
    "Where to write the backup (default: a dated file in the backups folder).":
        "Var säkerhetskopian ska skrivas (standard: en daterad fil i mappen för säkerhetskopior).",
    "Do not ask for confirmation.": "Fråga inte om bekräftelse.",
    "The store is empty.": "Databasen är tom.",
    "The store {path} is in order ({n} files).": "Databasen {path} är i ordning ({n} filer).",
    "Restored {file}; the previous state is in {safety}":
        "Återställde {file}; det tidigare läget finns i {safety}",
    "{n} problem(s) found in the store {path}": "{n} problem hittades i databasen {path}",
    "The store is at schema version {v}; nothing to do.":
        "Databasen har schemaversion {v}; inget att göra.",
    "Upgraded the store from schema version {a} to {b}; backup: {safety}":
        "Uppgraderade databasen från schemaversion {a} till {b}; säkerhetskopia: {safety}",
    "Replace the store {path} with {file}?": "Ersätta databasen {path} med {file}?",
    "Lay out a new business: kundkit.yaml, standards/, workflows/ and an empty store.\n\n\x08\n"
    "Example:\n  kundkit init ~/min-butik --lang sv --name \"Min Butik AB\"":
        "Lägg upp ett nytt företag: kundkit.yaml, standards/, workflows/ och en tom databas.\n\n"
        "\x08\nExempel:\n  kundkit init ~/min-butik --lang sv --name \"Min Butik AB\"",
    "Language of the defaults (texts, standards, workflows).":
        "Språk för standardinnehållet (texter, standarder, arbetsflöden).",
    "The business's name (default: the folder's name).": "Företagets namn (standard: mappens namn).",
    "A new business is ready in {dir}. Next: cd {dir} && kundkit staff add --help":
        "Ett nytt företag är klart i {dir}. Nästa steg: cd {dir} && kundkit staff add --help",
    "Table style for --format table (tabulate's: simple, github, grid, plain, ...).":
        "Tabellstil för --format table (tabulates: simple, github, grid, plain, ...).",
    "Output format.": "Utdataformat.",
    "yes": "ja",
    "no": "nej",
    "unknown table style '{style}'; choose one of: {styles}":
        "okänd tabellstil '{style}'; välj en av: {styles}",
    "List the loaded plugins.": "Lista de laddade tilläggen.",
    "Each plugin with its source (built-in, package, local file), version and hooks.":
        "Varje tillägg med källa (inbyggt, paket, lokal fil), version och krokar.",
    "missing value for {option} (no one to ask: give it as an option)":
        "värde saknas för {option} (ingen att fråga: ange det som flagga)",
    "a value is needed": "ett värde behövs",
    # Headers and group summaries.
    "Table": "Tabell", "Partitions": "Delar", "Records": "Poster", "Bytes": "Byte",
    "Name": "Namn", "Source": "Källa", "Version": "Version", "Hooks": "Krokar", "Error": "Fel",
    "Lay out a new business folder.": "Lägg upp en ny företagsmapp.",
    "Register, find and look after customers.": "Registrera, hitta och ta hand om kunder.",
    "Staff members and who is active.": "Personalen och vem som är aktiv.",
    "Products, their weight and the key products.": "Produkter, deras vikt och nyckelprodukterna.",
    "Tasks for staff: follow-ups, calls, answers.": "Uppgifter för personalen: uppföljningar, samtal, svar.",
    "Record and import purchases.": "Registrera och importera köp.",
    "Discount policies and each customer's standing.": "Rabattregler och varje kunds ställning.",
    "Sales plans per period and staff member.": "Säljplaner per period och medarbetare.",
    "Rewards for the staff's contribution to the plan.": "Belöningar för personalens bidrag till planen.",
    "Channels to customers: e-mail, SMS, letters, phone.": "Kanaler till kunderna: e-post, sms, brev, telefon.",
    "Send company news to customers.": "Skicka företagsnyheter till kunderna.",
    "Log contacts with customers.": "Logga kontakter med kunder.",
    "Complaints, claims and suggestions, on a deadline.": "Klagomål, reklamationer och förslag, med tidsfrister.",
    "Run the business's YAML workflows.": "Kör företagets arbetsflöden i YAML.",
    "Service-quality standards: validate, show, audit.": "Servicestandarder: validera, visa, granska.",
    "Reports: plan, customers, feedback, trends.": "Rapporter: plan, kunder, synpunkter, trender.",
    "The audit log of changes to personal data.": "Granskningsloggen över ändringar av personuppgifter.",
    "Check, back up and restore the store.": "Kontrollera, säkerhetskopiera och återställ databasen.",
    "List the loaded plugins.": "Lista de laddade tilläggen.",
    "{folder}: no such folder": "{folder}: mappen finns inte",
    "{folder}: both {a} and {b}; keep one": "{folder}: både {a} och {b}; behåll en av dem",
    "{folder}: kundkit does not know what to load from {files} (it loads {known})":
        "{folder}: kundkit vet inte vad som ska läsas in från {files} (den läser in {known})",
    "{folder}: nothing to load": "{folder}: inget att läsa in",
    "the store {path} already holds data; give --replace to replace it (a backup is taken first)":
        "databasen {path} innehåller redan data; ange --replace för att ersätta den (en "
        "säkerhetskopia tas först)",
    "Replace the data the store holds (a backup is taken first).":
        "Ersätt databasens innehåll (en säkerhetskopia tas först).",
    "Load a business from a folder of files: staff, plans, products, customers, purchases and\n"
    "feedback (.csv or .json, named so), in that order, all or nothing.\n\n\x08\nExample:\n"
    "  kundkit db load examples --replace":
        "Läs in ett företag från en mapp med filer: personal, planer, produkter, kunder, köp och\n"
        "synpunkter (.csv eller .json, med de engelska namnen), i den ordningen, allt eller inget.\n\n"
        "\x08\nExempel:\n  kundkit db load examples --replace",
    "a target must be more than zero": "ett mål måste vara större än noll",
    "a second target for the same period and person (first on line {line})":
        "ett andra mål för samma period och person (det första på rad {line})",
    "{file}: {n} rows": "{file}: {n} rader",
    "The previous data is in {safety}": "Det tidigare innehållet finns i {safety}",
    "[OPTIONS]": "[FLAGGOR]",
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
}

CLICK = {
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Avbrutet!",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Commands": "Kommandon",
    "Confirm the action without prompting.": "Bekräfta åtgärden utan att fråga.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "Do you want to continue?": "Vill du fortsätta?",
    "Error: The two entered values do not match.": "Fel: De två angivna värdena stämmer inte överens.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Error: {message}": "Fel: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Missing argument": "Argument saknas",
    "Missing command.": "Kommando saknas.",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "No such command {name!r}.": "Inget sådant kommando {name!r}.",
    "No such option {name!r}.": "Ingen sådan flagga {name!r}.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Options": "Flaggor",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta...",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Show this message and exit.": "Visa det här meddelandet och avsluta.",
    "Try '{command} {option}' for help.": "Prova '{command} {option}' för hjälp.",
    "Usage:": "Användning:",
    "default: {default}": "standard: {default}",
    "deprecated": "föråldrad",
    "directory": "mapp",
    "env var: {var}": "miljövariabel: {var}",
    "file": "fil",
    "path": "sökväg",
    "required": "obligatorisk",
    "unknown error": "okänt fel",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Fick ett oväntat extra argument ({args})", "Fick oväntade extra argument ({args})"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Flaggan {name!r} kräver ett argument.", "Flaggan {name!r} kräver {nargs} argument."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} följer inte formatet {format}.", "{value!r} följer inte formaten {formats}."),
}
