<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="et_EE">
<context>
    <name>AppPage</name>
    <message>
        <source>Production</source>
        <translation>Toodang (production)</translation>
    </message>
    <message>
        <source>Intuit sandbox (development keys)</source>
        <translation>Intuiti liivakast (arendusvõtmed)</translation>
    </message>
    <message>
        <source>Local demo</source>
        <translation>Kohalik demo</translation>
    </message>
    <message>
        <source>QuickBooks app</source>
        <translation>QuickBooksi rakendus</translation>
    </message>
    <message>
        <source>The keys of your QuickBooks app, from the Intuit developer portal (Keys &amp; credentials).</source>
        <translation>Teie QuickBooksi rakenduse võtmed Intuiti arendajaportaalist (Keys &amp; credentials).</translation>
    </message>
    <message>
        <source>QuickBooks environment</source>
        <translation>QuickBooksi keskkond</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Kliendi ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Kliendi saladus</translation>
    </message>
    <message>
        <source>Redirect address</source>
        <translation>Tagasisuunamise aadress</translation>
    </message>
    <message>
        <source>Leave empty unless you use production keys</source>
        <translation>Jätke tühjaks, kui te ei kasuta toodangu võtmeid</translation>
    </message>
    <message>
        <source>Redirect address:</source>
        <translation>Tagasisuunamise aadress:</translation>
    </message>
    <message>
        <source>Local demo QuickBooks address</source>
        <translation>Kohaliku demo QuickBooksi aadress</translation>
    </message>
    <message>
        <source>Demo server:</source>
        <translation>Demoserver:</translation>
    </message>
    <message>
        <source>Scoro API key</source>
        <translation>Scoro API-võti</translation>
    </message>
    <message>
        <source>In Scoro: Settings &gt; External connections &gt; API</source>
        <translation>Scoros: Settings &gt; External connections &gt; API</translation>
    </message>
    <message>
        <source>Scoro API key:</source>
        <translation>Scoro API-võti:</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Keskkond:</translation>
    </message>
    <message>
        <source>Client id:</source>
        <translation>Kliendi ID:</translation>
    </message>
    <message>
        <source>Client secret:</source>
        <translation>Kliendi saladus:</translation>
    </message>
    <message>
        <source>Intuit accepts a localhost redirect only for development keys. With production keys enter the https address registered in your app; after you authorize, paste the address the browser shows.</source>
        <translation>Intuit lubab localhosti tagasisuunamist ainult arendusvõtmetega. Toodangu võtmetega sisestage rakenduses registreeritud https-aadress; pärast volitamist kleepige siia brauseris näidatud aadress.</translation>
    </message>
    <message>
        <source>Leave empty: QuickBooks sends its answer straight back to this computer. Your app&apos;s redirect URIs in the Intuit developer portal must include http://localhost.</source>
        <translation>Jätke tühjaks: QuickBooks saadab vastuse otse sellesse arvutisse. Rakenduse tagasisuunamise URI-de hulgas Intuiti arendajaportaalis peab olema http://localhost.</translation>
    </message>
    <message>
        <source>The client secret saved for {name} will be used. Type a secret only to use another.</source>
        <translation>Kasutatakse üksusele {name} salvestatud kliendi saladust. Sisestage saladus ainult siis, kui soovite kasutada teist.</translation>
    </message>
    <message>
        <source>saved — leave empty to keep the saved one</source>
        <translation>salvestatud — jätke tühjaks, et kasutada salvestatut</translation>
    </message>
    <message>
        <source>Production keys need an https redirect address: enter the one registered in your QuickBooks app.</source>
        <translation>Toodangu võtmed vajavad https-tagasisuunamise aadressi: sisestage QuickBooksi rakenduses registreeritud aadress.</translation>
    </message>
    <message>
        <source>The redirect address must start with https:// (or be http://localhost… for development keys).</source>
        <translation>Tagasisuunamise aadress peab algama https:// (arendusvõtmete puhul võib olla http://localhost…).</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>QBSync could not start.</source>
        <translation>QBSynci käivitamine ebaõnnestus.</translation>
    </message>
    <message>
        <source>The sync service is missing.</source>
        <translation>Sünkroonimisteenus puudub.</translation>
    </message>
    <message>
        <source>Start QBSync with --insecure-file-secrets to keep the keys in a file in the data folder instead (only on a computer you alone use).</source>
        <translation>Käivitage QBSync võtmega --insecure-file-secrets, et hoida võtmeid hoopis andmekausta failis (ainult arvutis, mida kasutate ainult teie).</translation>
    </message>
</context>
<context>
    <name>AuthorizePage</name>
    <message>
        <source>Authorize</source>
        <translation>Volitamine</translation>
    </message>
    <message>
        <source>Sign in to QuickBooks in your browser, choose the company and click Connect. Then come back here.</source>
        <translation>Logige brauseris QuickBooksi sisse, valige ettevõte ja klõpsake Connect. Seejärel tulge siia tagasi.</translation>
    </message>
    <message>
        <source>Open QuickBooks in your browser</source>
        <translation>Ava QuickBooks brauseris</translation>
    </message>
    <message>
        <source>Waiting for you to authorize in the browser…</source>
        <translation>Ootan, kuni volitate brauseris…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Loobu</translation>
    </message>
    <message>
        <source>Browser didn&apos;t open?</source>
        <translation>Brauser ei avanenud?</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Kopeeri link</translation>
    </message>
    <message>
        <source>Copy the QuickBooks address; paste it into your browser</source>
        <translation>Kopeerige QuickBooksi aadress ja kleepige see brauserisse</translation>
    </message>
    <message>
        <source>The address you were sent to</source>
        <translation>Aadress, kuhu teid suunati</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Jätka</translation>
    </message>
    <message>
        <source>Paste the address you were sent to</source>
        <translation>Kleepige aadress, kuhu teid suunati</translation>
    </message>
    <message>
        <source>If the browser ends on a page that does not load, copy the whole address from the browser&apos;s address bar and paste it here.</source>
        <translation>Kui brauser jõuab lehele, mis ei avane, kopeerige brauseri aadressiribalt kogu aadress ja kleepige see siia.</translation>
    </message>
    <message>
        <source>Choose a Scoro entity first (Back).</source>
        <translation>Valige kõigepealt Scoro üksus (Tagasi).</translation>
    </message>
    <message>
        <source>Preparing the QuickBooks sign-in…</source>
        <translation>Valmistan ette QuickBooksi sisselogimist…</translation>
    </message>
    <message>
        <source>Open QuickBooks in your browser again</source>
        <translation>Ava QuickBooks brauseris uuesti</translation>
    </message>
    <message>
        <source>Your browser did not open. Click Copy link and paste the link into your browser.</source>
        <translation>Brauser ei avanenud. Klõpsake „Kopeeri link“ ja kleepige link brauserisse.</translation>
    </message>
    <message>
        <source>After you click Connect in QuickBooks, copy the address the browser shows and paste it below.</source>
        <translation>Kui olete QuickBooksis klõpsanud Connect, kopeerige brauseris näidatud aadress ja kleepige see allpool.</translation>
    </message>
    <message>
        <source>No answer from QuickBooks in time. Click “Open QuickBooks in your browser” to try again, or paste the address you were sent to.</source>
        <translation>QuickBooks ei vastanud õigeks ajaks. Klõpsake „Ava QuickBooks brauseris“, et uuesti proovida, või kleepige aadress, kuhu teid suunati.</translation>
    </message>
    <message>
        <source>Cancelled. Click “Open QuickBooks in your browser” to start again.</source>
        <translation>Katkestatud. Uuesti alustamiseks klõpsake „Ava QuickBooks brauseris“.</translation>
    </message>
    <message>
        <source>Link copied. Paste it into your browser&apos;s address bar.</source>
        <translation>Link on kopeeritud. Kleepige see brauseri aadressiribale.</translation>
    </message>
    <message>
        <source>Click “Open QuickBooks in your browser” first.</source>
        <translation>Klõpsake kõigepealt „Ava QuickBooks brauseris“.</translation>
    </message>
    <message>
        <source>Paste the whole address from the browser first.</source>
        <translation>Kleepige kõigepealt kogu aadress brauserist.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Ühendan…</translation>
    </message>
    <message>
        <source>Connected to {company}. Pulled from QuickBooks: {accounts}, {rates}. No documents are synced until you finish the first settings.</source>
        <translation>Ühendatud ettevõttega {company}. QuickBooksist toodi: {accounts}, {rates}. Dokumente ei sünkroonita enne, kui olete esmased seaded lõpetanud.</translation>
    </message>
    <message numerus="yes">
        <source>%n accounts</source>
        <translation>
            <numerusform>%n konto</numerusform>
            <numerusform>%n kontot</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tax rates</source>
        <translation>
            <numerusform>%n maksumäär</numerusform>
            <numerusform>%n maksumäära</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <source>Background items (tax rates, accounts)</source>
        <translation>Taustaandmed (maksumäärad, kontod)</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontaktid</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Tooted</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projektid</translation>
    </message>
    <message>
        <source>Invoices and credit notes</source>
        <translation>Arved ja kreeditarved</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>Ostuarved</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Laekumised</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassid</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Manused</translation>
    </message>
</context>
<context>
    <name>CategoryTable</name>
    <message>
        <source>What to sync</source>
        <translation>Mida sünkroonida</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategooria</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Suund</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Alates</translation>
    </message>
    <message>
        <source>Scoro bookmark</source>
        <translation>Scoro järjehoidja</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Viimane sünkroonimine</translation>
    </message>
    <message>
        <source>Scoro&apos;s bookmarks could not be loaded: {reason}. Press F5 to try again.</source>
        <translation>Scoro järjehoidjaid ei õnnestunud laadida: {reason}. Uuesti proovimiseks vajutage F5.</translation>
    </message>
    <message>
        <source>{category}: the setting was not changed.</source>
        <translation>{category}: seadet ei muudetud.</translation>
    </message>
    <message>
        <source>{category}: the direction was not changed.</source>
        <translation>{category}: suunda ei muudetud.</translation>
    </message>
    <message>
        <source>{category}: the start date was not changed.</source>
        <translation>{category}: alguskuupäeva ei muudetud.</translation>
    </message>
    <message>
        <source>{category}: the bookmark was not changed.</source>
        <translation>{category}: järjehoidjat ei muudetud.</translation>
    </message>
</context>
<context>
    <name>ClosedSyncOptions</name>
    <message>
        <source>Also sync when the app is closed</source>
        <translation>Sünkrooni ka siis, kui rakendus on suletud</translation>
    </message>
    <message>
        <source>Start in the tray at login</source>
        <translation>Käivita sisselogimisel salve</translation>
    </message>
    <message>
        <source>Checking what this computer has set up…</source>
        <translation>Kontrollin, mis selles arvutis seadistatud on…</translation>
    </message>
    <message>
        <source>The computer could not be asked ({error}).</source>
        <translation>Arvutilt ei õnnestunud küsida ({error}).</translation>
    </message>
    <message>
        <source>Choose Automatic first: the computer then syncs at that frequency while the app is closed.</source>
        <translation>Valige kõigepealt „Automaatne“: siis sünkroonib arvuti selle sagedusega ka suletud rakenduse ajal.</translation>
    </message>
    <message>
        <source>Your computer runs the automatic sync at its frequency while QBSync is closed. Never at the same time as the app: a connection the app is syncing is left alone.</source>
        <translation>Arvuti teeb automaatse sünkroonimise valitud sagedusega ka siis, kui QBSync on suletud. Mitte kunagi rakendusega samal ajal: ühendus, mida rakendus parajasti sünkroonib, jäetakse rahule.</translation>
    </message>
    <message>
        <source>QBSync starts hidden in the tray when you log in; click the icon to open it.</source>
        <translation>QBSync käivitub sisselogimisel peidetult salves; avamiseks klõpsake ikoonil.</translation>
    </message>
    <message>
        <source>The sync with the app closed was not changed.</source>
        <translation>Suletud rakendusega sünkroonimist ei muudetud.</translation>
    </message>
    <message>
        <source>Syncing with the app closed was not set up.</source>
        <translation>Suletud rakendusega sünkroonimist ei seadistatud.</translation>
    </message>
    <message>
        <source>Syncing with the app closed was not turned off.</source>
        <translation>Suletud rakendusega sünkroonimist ei lülitatud välja.</translation>
    </message>
    <message>
        <source>Starting at login was not changed.</source>
        <translation>Sisselogimisel käivitamist ei muudetud.</translation>
    </message>
</context>
<context>
    <name>ConnectionHeader</name>
    <message>
        <source>Reconnect…</source>
        <translation>Ühenda uuesti…</translation>
    </message>
    <message>
        <source>Authorize QuickBooks again; nothing synced so far is lost.</source>
        <translation>Volitage QuickBooks uuesti; seni sünkroonitust ei lähe midagi kaduma.</translation>
    </message>
    <message>
        <source>Check currencies again</source>
        <translation>Kontrolli valuutasid uuesti</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>Ühenda…</translation>
    </message>
    <message>
        <source>Pair this Scoro entity with a QuickBooks Online company</source>
        <translation>Seo see Scoro üksus QuickBooks Online’i ettevõttega</translation>
    </message>
    <message>
        <source>Disconnect…</source>
        <translation>Katkesta ühendus…</translation>
    </message>
    <message>
        <source>Stop syncing this pair and revoke QuickBooks&apos; authorization. Links are kept.</source>
        <translation>Lõpetab selle paari sünkroonimise ja tühistab QuickBooksi volituse. Seosed jäävad alles.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No connection yet&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ühendust veel pole&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Click “Connect an entity” to pair a Scoro entity with a QuickBooks Online company.</source>
        <translation>Klõpsake „Ühenda üksus“, et siduda Scoro üksus QuickBooks Online’i ettevõttega.</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>ühendamata</translation>
    </message>
    <message>
        <source>(multicurrency)</source>
        <translation>(mitu valuutat)</translation>
    </message>
    <message>
        <source>synchronizing…</source>
        <translation>sünkroonin…</translation>
    </message>
    <message>
        <source>last sync {when}</source>
        <translation>viimati sünkrooniti {when}</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>pole veel sünkroonitud</translation>
    </message>
    <message>
        <source>{count} to review</source>
        <translation>{count} üle vaadata</translation>
    </message>
    <message>
        <source>The QuickBooks and Scoro keys are kept in a plain file in the data folder (no keyring was available).</source>
        <translation>QuickBooksi ja Scoro võtmeid hoitakse andmekaustas lihtfailis (võtmehoidlat polnud saadaval).</translation>
    </message>
    <message>
        <source>This entity of {site} is not connected to QuickBooks Online yet. Click Connect… to pair it with a QuickBooks company.</source>
        <translation>See saidi {site} üksus pole veel QuickBooks Online’iga ühendatud. Klõpsake „Ühenda…“, et siduda see QuickBooksi ettevõttega.</translation>
    </message>
</context>
<context>
    <name>ConnectionWizard</name>
    <message>
        <source>Reconnect {name}</source>
        <translation>Ühenda {name} uuesti</translation>
    </message>
    <message>
        <source>Connect {name} to QuickBooks Online</source>
        <translation>Ühenda {name} QuickBooks Online’iga</translation>
    </message>
    <message>
        <source>Connect a Scoro entity to QuickBooks Online</source>
        <translation>Scoro üksuse ühendamine QuickBooks Online’iga</translation>
    </message>
    <message>
        <source>This computer no longer has the Scoro API key and the QuickBooks client secret of this connection (for example after the demo was restarted, or on another computer). Type them below.</source>
        <translation>Selles arvutis pole enam selle ühenduse Scoro API-võtit ega QuickBooksi kliendi saladust (näiteks pärast demo taaskäivitamist või teises arvutis). Sisestage need allpool.</translation>
    </message>
    <message>
        <source>This computer no longer has the Scoro API key of this connection (for example after the demo was restarted, or on another computer). Type it below.</source>
        <translation>Selles arvutis pole enam selle ühenduse Scoro API-võtit (näiteks pärast demo taaskäivitamist või teises arvutis). Sisestage see allpool.</translation>
    </message>
    <message>
        <source>This computer no longer has the QuickBooks client secret of this connection (for example after the demo was restarted, or on another computer). Type it below.</source>
        <translation>Selles arvutis pole enam selle ühenduse QuickBooksi kliendi saladust (näiteks pärast demo taaskäivitamist või teises arvutis). Sisestage see allpool.</translation>
    </message>
</context>
<context>
    <name>CurrencyPage</name>
    <message>
        <source>Currencies</source>
        <translation>Valuutad</translation>
    </message>
    <message>
        <source>Scoro&apos;s base currency must match QuickBooks&apos; home currency, unless QuickBooks multicurrency is on.</source>
        <translation>Scoro baasvaluuta peab ühtima QuickBooksi põhivaluutaga, välja arvatud juhul, kui QuickBooksis on mitme valuuta tugi sisse lülitatud.</translation>
    </message>
    <message>
        <source>To connect them, do one of these, then click &lt;b&gt;Check again&lt;/b&gt;:&lt;ol&gt;&lt;li&gt;In Scoro, change the entity&apos;s base currency under &lt;i&gt;Settings &amp;gt; Sales and finance &amp;gt; Currencies&lt;/i&gt;; or&lt;/li&gt;&lt;li&gt;In QuickBooks, change the home currency or turn on multicurrency under &lt;i&gt;Settings &amp;gt; Advanced &amp;gt; Currency&lt;/i&gt;.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>Nende ühendamiseks tehke üks järgmistest ja klõpsake siis &lt;b&gt;Kontrolli uuesti&lt;/b&gt;:&lt;ol&gt;&lt;li&gt;muutke Scoros üksuse baasvaluutat: &lt;i&gt;Settings &amp;gt; Sales and finance &amp;gt; Currencies&lt;/i&gt;; või&lt;/li&gt;&lt;li&gt;muutke QuickBooksis põhivaluutat või lülitage sisse mitme valuuta tugi: &lt;i&gt;Settings &amp;gt; Advanced &amp;gt; Currency&lt;/i&gt;.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Kontrolli uuesti</translation>
    </message>
    <message>
        <source>Read both currencies again from Scoro and QuickBooks</source>
        <translation>Loe mõlemad valuutad Scorost ja QuickBooksist uuesti</translation>
    </message>
    <message>
        <source>Checking both currencies…</source>
        <translation>Kontrollin mõlemat valuutat…</translation>
    </message>
    <message>
        <source>The currencies could not be read. {reason}</source>
        <translation>Valuutasid ei õnnestunud lugeda. {reason}</translation>
    </message>
    <message>
        <source>✓ {currency} in both Scoro and QuickBooks.</source>
        <translation>✓ {currency} nii Scoros kui ka QuickBooksis.</translation>
    </message>
    <message>
        <source>✓ Scoro uses {scoro}, QuickBooks {quickbooks} with multicurrency on.</source>
        <translation>✓ Scoro kasutab valuutat {scoro}, QuickBooks valuutat {quickbooks}, mitme valuuta tugi on sees.</translation>
    </message>
    <message>
        <source>Scoro&apos;s base currency is {scoro} but QuickBooks&apos; home currency is {quickbooks}, and QuickBooks multicurrency is off, so this connection cannot be activated yet.</source>
        <translation>Scoro baasvaluuta on {scoro}, kuid QuickBooksi põhivaluuta on {quickbooks} ja QuickBooksi mitme valuuta tugi on välja lülitatud, seega ei saa seda ühendust veel aktiveerida.</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <source>Invoices</source>
        <translation>Arved</translation>
    </message>
    <message>
        <source>Credit notes</source>
        <translation>Kreeditarved</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>Ostuarved</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontaktid</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Kuupäev</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summa</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Valuuta</translation>
    </message>
    <message>
        <source>In QuickBooks</source>
        <translation>QuickBooksis</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Märkus</translation>
    </message>
    <message>
        <source>What to find</source>
        <translation>Mida otsida</translation>
    </message>
    <message>
        <source>Number, contact or name…</source>
        <translation>Number, kontakt või nimi…</translation>
    </message>
    <message>
        <source>Search Scoro</source>
        <translation>Otsi Scorost</translation>
    </message>
    <message>
        <source>Documents found</source>
        <translation>Leitud dokumendid</translation>
    </message>
    <message>
        <source>Send to QuickBooks</source>
        <translation>Saada QuickBooksi</translation>
    </message>
    <message>
        <source>Send the selected documents or contacts now. An invoice or bill can be sent until a payment is attached to it.</source>
        <translation>Saadab valitud dokumendid või kontaktid kohe. Arvet või ostuarvet saab saata seni, kuni sellele pole makset lisatud.</translation>
    </message>
    <message>
        <source>Pull receipts</source>
        <translation>Too laekumised</translation>
    </message>
    <message>
        <source>Bring the payments recorded in QuickBooks for the selected invoice or bill into Scoro, until it is fully paid.</source>
        <translation>Toob valitud arve või ostuarve kohta QuickBooksis kirjendatud maksed Scorosse, kuni see on täielikult tasutud.</translation>
    </message>
    <message>
        <source>Send attachments</source>
        <translation>Saada manused</translation>
    </message>
    <message>
        <source>Send the selected document&apos;s files from Scoro to QuickBooks.</source>
        <translation>Saadab valitud dokumendi failid Scorost QuickBooksi.</translation>
    </message>
    <message>
        <source>Search Scoro by number or name, then send one document at a time. Leave the box empty and click Search Scoro to list the latest ones.</source>
        <translation>Otsige Scorost numbri või nime järgi ja saatke dokumendid ükshaaval. Viimaste nägemiseks jätke väli tühjaks ja klõpsake „Otsi Scorost“.</translation>
    </message>
    <message>
        <source>Searching Scoro…</source>
        <translation>Otsin Scorost…</translation>
    </message>
    <message>
        <source>{count} found.</source>
        <translation>Leiti {count}.</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Midagi ei leitud.</translation>
    </message>
    <message>
        <source>The search did not work.</source>
        <translation>Otsing ebaõnnestus.</translation>
    </message>
    <message>
        <source>Scoro could not be searched.</source>
        <translation>Scorost ei õnnestunud otsida.</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>veel mitte</translation>
    </message>
    <message>
        <source>{number} cannot be sent: {reason}</source>
        <translation>{number} ei saa saata: {reason}</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>pole lubatud</translation>
    </message>
    <message>
        <source>Sending {documents}…</source>
        <translation>Saadan: {documents}…</translation>
    </message>
    <message>
        <source>Pulling receipts for {documents}…</source>
        <translation>Toon laekumisi: {documents}…</translation>
    </message>
    <message>
        <source>Sending attachments of {documents}…</source>
        <translation>Saadan manuseid: {documents}…</translation>
    </message>
    <message>
        <source>Sending {document} did not work.</source>
        <translation>Dokumendi {document} saatmine ebaõnnestus.</translation>
    </message>
    <message>
        <source>Pulling receipts for {document} did not work.</source>
        <translation>Dokumendi {document} laekumiste toomine ebaõnnestus.</translation>
    </message>
    <message>
        <source>Sending attachments of {document} did not work.</source>
        <translation>Dokumendi {document} manuste saatmine ebaõnnestus.</translation>
    </message>
    <message>
        <source>Not done.</source>
        <translation>Ei tehtud.</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Not connected yet</source>
        <translation>Pole veel ühendatud</translation>
    </message>
    <message>
        <source>Blocked: currencies differ</source>
        <translation>Blokeeritud: valuutad erinevad</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Ühendatud</translation>
    </message>
    <message>
        <source>Reconnect needed</source>
        <translation>Vaja uuesti ühendada</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Ühendus katkestatud</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Lõpetatud</translation>
    </message>
    <message>
        <source>Finished, items to review</source>
        <translation>Lõpetatud, vajab ülevaatust</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ebaõnnestus</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Katkestatud</translation>
    </message>
    <message>
        <source>Stopped: reconnect needed</source>
        <translation>Peatatud: vaja uuesti ühendada</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Käib</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Käsitsi</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Iga tund</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Iga päev</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Iga nädal</translation>
    </message>
    <message>
        <source>never</source>
        <translation>mitte kunagi</translation>
    </message>
    <message>
        <source>today {time}</source>
        <translation>täna {time}</translation>
    </message>
    <message>
        <source>yesterday {time}</source>
        <translation>eile {time}</translation>
    </message>
</context>
<context>
    <name>HistoryImportDialog</name>
    <message>
        <source>To create</source>
        <translation>Luua</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Loodud</translation>
    </message>
    <message>
        <source>To match (already in both)</source>
        <translation>Siduda (juba mõlemas olemas)</translation>
    </message>
    <message>
        <source>Matched (already in both)</source>
        <translation>Seotud (juba mõlemas olemas)</translation>
    </message>
    <message>
        <source>Held for review</source>
        <translation>Ootab ülevaatust</translation>
    </message>
    <message>
        <source>Import older {category}</source>
        <translation>Impordi vanemad: {category}</translation>
    </message>
    <message>
        <source>its start date, {date}</source>
        <translation>selle alguskuupäeva {date}</translation>
    </message>
    <message>
        <source>its start date</source>
        <translation>selle alguskuupäeva</translation>
    </message>
    <message>
        <source>Bring in {category} made or changed before {start}. Choose the first day to import, then Preview. Documents already in both are matched, not copied. Nothing is changed until you press Import, and the start date stays as it is.</source>
        <translation>Toob sisse kategooria „{category}“ kirjed, mis on loodud või muudetud enne {start}. Valige esimene imporditav päev ja seejärel Eelvaade. Mõlemas süsteemis juba olevad dokumendid seotakse, mitte ei kopeerita. Midagi ei muudeta enne, kui vajutate Impordi, ja alguskuupäev jääb samaks.</translation>
    </message>
    <message>
        <source>Import from</source>
        <translation>Impordi alates</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Eelvaade</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Alates:</translation>
    </message>
    <message>
        <source>Choose the From date, then Preview.</source>
        <translation>Valige alguskuupäev ja seejärel Eelvaade.</translation>
    </message>
    <message>
        <source>What the import does</source>
        <translation>Mida import teeb</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Üksikasjad</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Impordi</translation>
    </message>
    <message>
        <source>Preparing the preview (nothing is changed)…</source>
        <translation>Valmistan eelvaadet ette (midagi ei muudeta)…</translation>
    </message>
    <message>
        <source>The preview could not be prepared</source>
        <translation>Eelvaadet ei õnnestunud koostada</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Impordin…</translation>
    </message>
    <message>
        <source>The import did not run</source>
        <translation>Import ei käivitunud</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sulge</translation>
    </message>
    <message>
        <source>The date changed: press Preview again.</source>
        <translation>Kuupäev muutus: vajutage uuesti Eelvaade.</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Manual</source>
        <translation>Käsitsi</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automaatne</translation>
    </message>
    <message>
        <source>Accounts and tax rates pulled on connecting</source>
        <translation>Ühendamisel toodud kontod ja maksumäärad</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Eelvaade</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Käsurida</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Ülevaatus</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumendid</translation>
    </message>
    <message>
        <source>Preview of an import of older documents</source>
        <translation>Vanemate dokumentide impordi eelvaade</translation>
    </message>
    <message>
        <source>Import of older documents</source>
        <translation>Vanemate dokumentide import</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Algus</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Käivitaja</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Tulemus</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Loodud</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Uuendatud</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Ootel</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ebaõnnestus</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Teade</translation>
    </message>
    <message>
        <source>Pulled the chart of accounts and tax rates from QuickBooks into Scoro ({created} new, {updated} updated). No documents were synced.</source>
        <translation>QuickBooksist toodi Scorosse kontoplaan ja maksumäärad ({created} uut, {updated} uuendatud). Dokumente ei sünkroonitud.</translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation>Sünkroonimise ajalugu</translation>
    </message>
    <message>
        <source>Double-click a run, or select it and press Enter, to see its log.</source>
        <translation>Käivituse logi nägemiseks tehke sellel topeltklõps või valige see ja vajutage Enter.</translation>
    </message>
    <message>
        <source>Sync of {when}</source>
        <translation>Sünkroonimine {when}</translation>
    </message>
    <message>
        <source>{created} created, {updated} updated, {held} to review, {failed} failed</source>
        <translation>{created} loodud, {updated} uuendatud, {held} üle vaadata, {failed} ebaõnnestus</translation>
    </message>
    <message>
        <source>No log lines were kept for this run.</source>
        <translation>Selle käivituse logiridu ei säilitatud.</translation>
    </message>
    <message>
        <source>Preview · {status}</source>
        <translation>Eelvaade · {status}</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Tax rate</source>
        <translation>Maksumäär</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klass</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Klient</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Tarnija</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Toode</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Arve</translation>
    </message>
    <message>
        <source>Credit note</source>
        <translation>Kreeditarve</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>Ostuarve</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Laekumine</translation>
    </message>
    <message>
        <source>Bill payment</source>
        <translation>Ostuarve tasumine</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Manus</translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <source>Debug</source>
        <translation>Silumine</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Teave</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Hoiatus</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Viga</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Kriitiline</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Kõik tasemed</translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation>Teave ja kõrgemad</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Hoiatused ja vead</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Ainult vead</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Aeg</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Tase</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategooria</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Teade</translation>
    </message>
    <message>
        <source>One document</source>
        <translation>Üks dokument</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Ülevaatus</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Taustaandmed</translation>
    </message>
    <message>
        <source>&lt;b&gt;Log&lt;/b&gt;</source>
        <translation>&lt;b&gt;Logi&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Log level</source>
        <translation>Logitase</translation>
    </message>
    <message>
        <source>Find… (Ctrl+F)</source>
        <translation>Otsi… (Ctrl+F)</translation>
    </message>
    <message>
        <source>Find in log</source>
        <translation>Otsi logist</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Ekspordi CSV…</translation>
    </message>
    <message>
        <source>Save the lines shown as a CSV file (for support)</source>
        <translation>Salvesta näidatud read CSV-failina (toele saatmiseks)</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Logiread</translation>
    </message>
    <message>
        <source>Export log</source>
        <translation>Logi eksport</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-failid (*.csv)</translation>
    </message>
    <message>
        <source>The log could not be saved.</source>
        <translation>Logi ei õnnestunud salvestada.</translation>
    </message>
    <message numerus="yes">
        <source>%n lines saved to {file}.</source>
        <translation>
            <numerusform>%n rida salvestati faili {file}.</numerusform>
            <numerusform>%n rida salvestati faili {file}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{category} from {date}</source>
        <translation>{category} alates {date}</translation>
    </message>
    <message>
        <source>Start dates: the day of connecting.</source>
        <translation>Alguskuupäevad: ühendamise päev.</translation>
    </message>
    <message>
        <source>Synced from these dates:</source>
        <translation>Sünkroonitakse alates neist kuupäevadest:</translation>
    </message>
    <message>
        <source>QBSync — Scoro ⇄ QuickBooks Online (demo)</source>
        <translation>QBSync — Scoro ⇄ QuickBooks Online (demo)</translation>
    </message>
    <message>
        <source>QBSync — Scoro ⇄ QuickBooks Online</source>
        <translation>QBSync — Scoro ⇄ QuickBooks Online</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Põhiriba</translation>
    </message>
    <message>
        <source>&lt;b&gt;Entities&lt;/b&gt;</source>
        <translation>&lt;b&gt;Üksused&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Connected entities</source>
        <translation>Ühendatud üksused</translation>
    </message>
    <message>
        <source>+ Connect an entity</source>
        <translation>+ Ühenda üksus</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Ülevaade</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Ülevaatus</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumendid</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Ajalugu</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Võrdlus</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Valmis</translation>
    </message>
    <message>
        <source>synchronizing…</source>
        <translation>sünkroonin…</translation>
    </message>
    <message>
        <source>{count} to review</source>
        <translation>{count} üle vaadata</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>ühendamata</translation>
    </message>
    <message>
        <source>{name} is in Scoro but not connected to QuickBooks yet. Select it and click Connect…, or double-click it.</source>
        <translation>{name} on Scoros olemas, kuid pole veel QuickBooksiga ühendatud. Valige see ja klõpsake „Ühenda…“ või tehke sellel topeltklõps.</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>Ühenda…</translation>
    </message>
    <message>
        <source>Synchronize now</source>
        <translation>Sünkrooni kohe</translation>
    </message>
    <message>
        <source>Disconnect…</source>
        <translation>Katkesta ühendus…</translation>
    </message>
    <message>
        <source>&lt;h3&gt;{name} is not connected yet&lt;/h3&gt;&lt;p&gt;Connect {name} to its own QuickBooks Online company to sync its contacts, products, projects and documents.&lt;br&gt;Each Scoro entity syncs with one QuickBooks company.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;{name} pole veel ühendatud&lt;/h3&gt;&lt;p&gt;Ühendage {name} oma QuickBooks Online’i ettevõttega, et sünkroonida selle kontakte, tooteid, projekte ja dokumente.&lt;br&gt;Iga Scoro üksus sünkroonitakse ühe QuickBooksi ettevõttega.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Connect {name}…</source>
        <translation>Ühenda {name}…</translation>
    </message>
    <message>
        <source>&lt;h3&gt;No connection yet&lt;/h3&gt;&lt;p&gt;Pair a Scoro entity with a QuickBooks Online company to start syncing.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Ühendust veel pole&lt;/h3&gt;&lt;p&gt;Sünkroonimise alustamiseks siduge Scoro üksus QuickBooks Online’i ettevõttega.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Connect an entity…</source>
        <translation>Ühenda üksus…</translation>
    </message>
    <message>
        <source>Synchronize now — not available: {reason}</source>
        <translation>Sünkrooni kohe — pole saadaval: {reason}</translation>
    </message>
    <message>
        <source>Synchronize now — first complete the settings</source>
        <translation>Sünkrooni kohe — täitke kõigepealt seaded</translation>
    </message>
    <message>
        <source>Synchronize every enabled category now (Ctrl+R)</source>
        <translation>Sünkrooni kõik sisselülitatud kategooriad kohe (Ctrl+R)</translation>
    </message>
    <message>
        <source>no connection</source>
        <translation>ühendus puudub</translation>
    </message>
    <message>
        <source>Review ({count})</source>
        <translation>Ülevaatus ({count})</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Ühendatud</translation>
    </message>
    <message>
        <source>The connection is ready. Accounts and tax rates were pulled from QuickBooks; no documents have been synced yet.

{dates}

Run the first sync now?</source>
        <translation>Ühendus on valmis. Kontod ja maksumäärad toodi QuickBooksist; dokumente pole veel sünkroonitud.

{dates}

Kas käivitada esimene sünkroonimine kohe?</translation>
    </message>
    <message>
        <source>Run the first sync</source>
        <translation>Käivita esimene sünkroonimine</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Hiljem</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Katkesta ühendus</translation>
    </message>
    <message>
        <source>Stop syncing {entity} with {company}?

Disconnecting will revoke this app&apos;s access to QuickBooks and remove the saved keys from this computer. What was synced stays in both systems, and the links are kept so connecting again later creates no duplicates.</source>
        <translation>Kas lõpetada üksuse {entity} sünkroonimine ettevõttega {company}?

Ühenduse katkestamine tühistab selle rakenduse juurdepääsu QuickBooksile ja eemaldab salvestatud võtmed sellest arvutist. Sünkroonitud andmed jäävad mõlemasse süsteemi ja seosed säilitatakse, nii et hilisem uus ühendamine ei tekita duplikaate.</translation>
    </message>
    <message>
        <source>Keep connected</source>
        <translation>Jäta ühendatuks</translation>
    </message>
    <message>
        <source>{entity} disconnected.</source>
        <translation>{entity}: ühendus katkestatud.</translation>
    </message>
    <message>
        <source>Disconnecting did not work.</source>
        <translation>Ühenduse katkestamine ebaõnnestus.</translation>
    </message>
    <message>
        <source>Currencies</source>
        <translation>Valuutad</translation>
    </message>
    <message>
        <source>The currencies could not be checked.</source>
        <translation>Valuutasid ei õnnestunud kontrollida.</translation>
    </message>
    <message>
        <source>QBSync keeps running</source>
        <translation>QBSync töötab edasi</translation>
    </message>
    <message>
        <source>Automatic syncs continue in the background. Use the tray icon to open the window or to quit.</source>
        <translation>Automaatsed sünkroonimised jätkuvad taustal. Akna avamiseks või programmist väljumiseks kasutage salveikooni.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Välju</translation>
    </message>
    <message>
        <source>A sync is running. Stop it and quit?

Nothing is lost: what was not done is synced next time.</source>
        <translation>Sünkroonimine käib. Kas peatada see ja väljuda?

Midagi ei lähe kaduma: tegemata jäänu sünkroonitakse järgmisel korral.</translation>
    </message>
    <message>
        <source>Stop and quit</source>
        <translation>Peata ja välju</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>Jätka</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Eelvaade</translation>
    </message>
    <message>
        <source>See what a sync would change, without changing anything</source>
        <translation>Vaata, mida sünkroonimine muudaks, ilma midagi muutmata</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Peata</translation>
    </message>
    <message>
        <source>Stop the running sync after the record in progress</source>
        <translation>Peata käimasolev sünkroonimine pärast pooleliolevat kirjet</translation>
    </message>
    <message>
        <source>Conflicts and warnings that need you</source>
        <translation>Konfliktid ja hoiatused, mis vajavad teie otsust</translation>
    </message>
    <message>
        <source>Pair a Scoro entity with a QuickBooks Online company</source>
        <translation>Seo Scoro üksus QuickBooks Online’i ettevõttega</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Värskenda</translation>
    </message>
    <message>
        <source>Find in log</source>
        <translation>Otsi logist</translation>
    </message>
    <message>
        <source>Export log as CSV…</source>
        <translation>Ekspordi logi CSV-na…</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Ava logikaust</translation>
    </message>
    <message>
        <source>Show the folder with the log files, e.g. for support</source>
        <translation>Näita logifailide kausta, nt toele saatmiseks</translation>
    </message>
    <message>
        <source>About QBSync</source>
        <translation>QBSynci teave</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fail</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>&amp;Sünkroonimine</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Vaade</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Abi</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Logikaust</translation>
    </message>
    <message>
        <source>The log files are in {folder}</source>
        <translation>Logifailid asuvad kaustas {folder}</translation>
    </message>
    <message>
        <source>QBSync {version}

Keeps a Scoro site and QuickBooks Online in sync.

Log files: {folder}</source>
        <translation>QBSync {version}

Hoiab Scoro saidi ja QuickBooks Online’i sünkroonis.

Logifailid: {folder}</translation>
    </message>
    <message>
        <source>{count} created</source>
        <translation>{count} loodud</translation>
    </message>
    <message>
        <source>{count} updated</source>
        <translation>{count} uuendatud</translation>
    </message>
    <message>
        <source>{count} matched</source>
        <translation>{count} seotud</translation>
    </message>
    <message>
        <source>{count} failed</source>
        <translation>{count} ebaõnnestus</translation>
    </message>
    <message>
        <source>nothing to change</source>
        <translation>pole midagi muuta</translation>
    </message>
    <message>
        <source>this connection</source>
        <translation>see ühendus</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>kõik</translation>
    </message>
    <message>
        <source>Synchronizing {entity}: {what}…</source>
        <translation>Sünkroonin üksust {entity}: {what}…</translation>
    </message>
    <message>
        <source>{status}: {counts} ({seconds} s)</source>
        <translation>{status}: {counts} ({seconds} s)</translation>
    </message>
    <message>
        <source>QuickBooks needs to be authorized again.</source>
        <translation>QuickBooks tuleb uuesti volitada.</translation>
    </message>
    <message>
        <source>The sync did not finish.</source>
        <translation>Sünkroonimine ei lõppenud.</translation>
    </message>
    <message>
        <source>The sync stopped.</source>
        <translation>Sünkroonimine peatus.</translation>
    </message>
    <message>
        <source>Nothing was lost: what was not done is retried on the next sync. Check your internet connection, then click Synchronize now (Ctrl+R) to try again. If it keeps failing, export the log (Export CSV) and send it to support.</source>
        <translation>Midagi ei läinud kaduma: tegemata jäänut proovitakse järgmisel sünkroonimisel uuesti. Kontrollige internetiühendust ja klõpsake uuesti proovimiseks „Sünkrooni kohe“ (Ctrl+R). Kui see ikka ebaõnnestub, eksportige logi („Ekspordi CSV“) ja saatke see toele.</translation>
    </message>
    <message>
        <source>The sync of {entity} stopped.</source>
        <translation>Üksuse {entity} sünkroonimine peatus.</translation>
    </message>
    <message>
        <source>Cancelling after the record in progress…</source>
        <translation>Katkestan pärast pooleliolevat kirjet…</translation>
    </message>
    <message>
        <source>Preparing a preview (nothing is changed)…</source>
        <translation>Valmistan eelvaadet ette (midagi ei muudeta)…</translation>
    </message>
    <message>
        <source>Preview ready: nothing was changed.</source>
        <translation>Eelvaade on valmis: midagi ei muudetud.</translation>
    </message>
    <message>
        <source>The preview did not work.</source>
        <translation>Eelvaade ebaõnnestus.</translation>
    </message>
    <message>
        <source>The preview could not be prepared.</source>
        <translation>Eelvaadet ei õnnestunud koostada.</translation>
    </message>
    <message>
        <source>Synchronizing…</source>
        <translation>Sünkroonin…</translation>
    </message>
    <message>
        <source>Syncing {what}…</source>
        <translation>Sünkroonin: {what}…</translation>
    </message>
    <message>
        <source>records</source>
        <translation>kirjed</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>If this keeps happening, export the log (Export CSV) and send it to support.</source>
        <translation>Kui see kordub, eksportige logi („Ekspordi CSV“) ja saatke see toele.</translation>
    </message>
    <message>
        <source>“{text}” is not a full Scoro address. Enter the address you open Scoro with, for example {example}</source>
        <translation>„{text}“ pole täielik Scoro aadress. Sisestage aadress, millega Scoro avate, näiteks {example}</translation>
    </message>
    <message>
        <source>Enter your Scoro address, for example {example}</source>
        <translation>Sisestage oma Scoro aadress, näiteks {example}</translation>
    </message>
    <message>
        <source>Your Scoro address must start with https://, for example {example}</source>
        <translation>Scoro aadress peab algama https://, näiteks {example}</translation>
    </message>
    <message>
        <source>Click Reconnect and authorize QuickBooks again. Nothing has been lost.</source>
        <translation>Klõpsake „Ühenda uuesti…“ ja volitage QuickBooks uuesti. Midagi pole kaduma läinud.</translation>
    </message>
    <message>
        <source>Scoro&apos;s daily request quota is used up. The sync continues tomorrow.</source>
        <translation>Scoro päevane päringute limiit on täis. Sünkroonimine jätkub homme.</translation>
    </message>
    <message>
        <source>Check the site address and the API key (Scoro: Settings &gt; External connections &gt; API).</source>
        <translation>Kontrollige saidi aadressi ja API-võtit (Scoro: Settings &gt; External connections &gt; API).</translation>
    </message>
    <message>
        <source>Check the QuickBooks app&apos;s client id and secret, then try again.</source>
        <translation>Kontrollige QuickBooksi rakenduse kliendi ID-d ja saladust ning proovige uuesti.</translation>
    </message>
    <message>
        <source>Check your internet connection and try again in a few minutes. Nothing was lost; unfinished work is retried on the next sync.</source>
        <translation>Kontrollige internetiühendust ja proovige mõne minuti pärast uuesti. Midagi ei läinud kaduma; pooleli jäänud töö tehakse järgmisel sünkroonimisel.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Jah</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Ei</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <source>it stopped early.</source>
        <translation>see peatus enneaegselt.</translation>
    </message>
    <message>
        <source>The sync failed</source>
        <translation>Sünkroonimine ebaõnnestus</translation>
    </message>
    <message>
        <source>The sync of {entity} failed: {why} Nothing was lost: what was not done is tried again on the next sync.</source>
        <translation>Üksuse {entity} sünkroonimine ebaõnnestus: {why} Midagi ei läinud kaduma: tegemata jäänut proovitakse järgmisel sünkroonimisel uuesti.</translation>
    </message>
    <message>
        <source>QuickBooks needs reconnecting</source>
        <translation>QuickBooks tuleb uuesti ühendada</translation>
    </message>
    <message>
        <source>QuickBooks no longer accepts the sign-in saved for {entity}. Open QBSync and click Reconnect…; nothing synced so far is lost.</source>
        <translation>QuickBooks ei aktsepteeri enam üksusele {entity} salvestatud sisselogimist. Avage QBSync ja klõpsake „Ühenda uuesti…“; seni sünkroonitust ei lähe midagi kaduma.</translation>
    </message>
    <message>
        <source>1 item needs your review</source>
        <translation>1 kirje vajab ülevaatust</translation>
    </message>
    <message>
        <source>The sync of {entity} held it back. Click to see it in the Review tab.</source>
        <translation>Üksuse {entity} sünkroonimine jättis selle ootele. Klõpsake, et näha seda vahekaardil Ülevaatus.</translation>
    </message>
    <message>
        <source>{count} items need your review</source>
        <translation>{count} kirjet vajavad ülevaatust</translation>
    </message>
    <message>
        <source>The sync of {entity} held them back. Click to see them in the Review tab.</source>
        <translation>Üksuse {entity} sünkroonimine jättis need ootele. Klõpsake, et näha neid vahekaardil Ülevaatus.</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>The bookmark&apos;s user and status filters are not applied.</source>
        <translation>Järjehoidja kasutaja- ja olekufiltreid ei rakendata.</translation>
    </message>
    <message>
        <source>All (no bookmark)</source>
        <translation>Kõik (järjehoidjata)</translation>
    </message>
    <message>
        <source>Sync {category}</source>
        <translation>Sünkrooni: {category}</translation>
    </message>
    <message>
        <source>Direction for {category}</source>
        <translation>Suund: {category}</translation>
    </message>
    <message>
        <source>This category always syncs this way.</source>
        <translation>Seda kategooriat sünkroonitakse alati selles suunas.</translation>
    </message>
    <message>
        <source>Start date for {category}</source>
        <translation>Alguskuupäev: {category}</translation>
    </message>
    <message>
        <source>Scoro bookmark for {category}</source>
        <translation>Scoro järjehoidja: {category}</translation>
    </message>
    <message>
        <source>Send only what this Scoro bookmark (saved filter) selects.</source>
        <translation>Saada ainult see, mille valib see Scoro järjehoidja (salvestatud filter).</translation>
    </message>
    <message>
        <source>About bookmarks</source>
        <translation>Järjehoidjatest</translation>
    </message>
    <message>
        <source>Synchronize {category} now</source>
        <translation>Sünkrooni kohe: {category}</translation>
    </message>
    <message>
        <source>Import older…</source>
        <translation>Impordi vanemad…</translation>
    </message>
    <message>
        <source>Import older documents: {category} from before the start date, after a preview</source>
        <translation>Vanemate dokumentide import: {category} enne alguskuupäeva, pärast eelvaadet</translation>
    </message>
    <message>
        <source>Import older {category}</source>
        <translation>Impordi vanemad: {category}</translation>
    </message>
    <message>
        <source>Locked: this category&apos;s first sync has run, so its start date can no longer change.</source>
        <translation>Lukustatud: selle kategooria esimene sünkroonimine on tehtud, seega ei saa alguskuupäeva enam muuta.</translation>
    </message>
    <message>
        <source>Objects created or modified on or after this date are synced.</source>
        <translation>Sünkroonitakse sellel kuupäeval või hiljem loodud või muudetud kirjed.</translation>
    </message>
    <message>
        <source>It cannot be before {date}, when this connection was made.</source>
        <translation>See ei saa olla varasem kui {date}, mil ühendus loodi.</translation>
    </message>
    <message>
        <source>Bookmarks choose what is sent from Scoro; this category comes from QuickBooks.</source>
        <translation>Järjehoidjad valivad, mida Scorost saata; see kategooria tuleb QuickBooksist.</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>pole veel sünkroonitud</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>Before the first sync, please set:</source>
        <translation>Enne esimest sünkroonimist määrake palun:</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>To create</source>
        <translation>Luua</translation>
    </message>
    <message>
        <source>To update</source>
        <translation>Uuendada</translation>
    </message>
    <message>
        <source>To match (already in both)</source>
        <translation>Siduda (juba mõlemas olemas)</translation>
    </message>
    <message>
        <source>Conflicts (for review)</source>
        <translation>Konfliktid (ülevaatamiseks)</translation>
    </message>
    <message>
        <source>Held for review</source>
        <translation>Ootab ülevaatust</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Muutmata</translation>
    </message>
    <message>
        <source>Preview — {title}</source>
        <translation>Eelvaade — {title}</translation>
    </message>
    <message>
        <source>A sync now would do this: {changes}. Nothing has been changed yet.</source>
        <translation>Sünkroonimine teeks praegu järgmist: {changes}. Midagi pole veel muudetud.</translation>
    </message>
    <message>
        <source>Nothing to do: both systems are in step. Nothing has been changed.</source>
        <translation>Pole midagi teha: mõlemad süsteemid on kooskõlas. Midagi ei muudetud.</translation>
    </message>
    <message>
        <source>Planned changes</source>
        <translation>Kavandatud muudatused</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Mis</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Üksikasjad</translation>
    </message>
    <message>
        <source>{count} to change</source>
        <translation>{count} muuta</translation>
    </message>
    <message>
        <source>{count} for review</source>
        <translation>{count} ülevaatamiseks</translation>
    </message>
    <message>
        <source>no changes</source>
        <translation>muudatusi pole</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Võta tagasi</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Tee uuesti</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Lõika</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopeeri</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Kl&amp;eebi</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Kustuta</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Vali kõik</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Loobu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sulge</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Jah</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Ei</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Salvesta</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Abi</translation>
    </message>
</context>
<context>
    <name>QWizard</name>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Tagasi</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Edasi &gt;</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Edasi</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Lõpeta</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Loobu</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Abi</translation>
    </message>
    <message>
        <source>Go Back</source>
        <translation>Tagasi</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Jätka</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Valmis</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Kinnita</translation>
    </message>
</context>
<context>
    <name>ReconcilePanel</name>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Erinevus</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Üksikasjad</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Valuuta</translation>
    </message>
    <message>
        <source>Open in Scoro</source>
        <translation>Tasumata Scoros</translation>
    </message>
    <message>
        <source>Open in QuickBooks</source>
        <translation>Tasumata QuickBooksis</translation>
    </message>
    <message>
        <source>Send Scoro&apos;s version to QuickBooks</source>
        <translation>Saada Scoro versioon QuickBooksi</translation>
    </message>
    <message>
        <source>Bring QuickBooks&apos; version into Scoro</source>
        <translation>Too QuickBooksi versioon Scorosse</translation>
    </message>
    <message>
        <source>Link the two</source>
        <translation>Seo need kaks</translation>
    </message>
    <message>
        <source>Open the review item</source>
        <translation>Ava ülevaatuse kirje</translation>
    </message>
    <message>
        <source>Ignore…</source>
        <translation>Eira…</translation>
    </message>
    <message>
        <source>Send to QuickBooks</source>
        <translation>Saada QuickBooksi</translation>
    </message>
    <message>
        <source>Bring into Scoro</source>
        <translation>Too Scorosse</translation>
    </message>
    <message>
        <source>Open review item</source>
        <translation>Ava ülevaatuse kirje</translation>
    </message>
    <message>
        <source>Only in Scoro</source>
        <translation>Ainult Scoros</translation>
    </message>
    <message>
        <source>Only in QuickBooks</source>
        <translation>Ainult QuickBooksis</translation>
    </message>
    <message>
        <source>Not linked</source>
        <translation>Sidumata</translation>
    </message>
    <message>
        <source>Differs</source>
        <translation>Erineb</translation>
    </message>
    <message>
        <source>Open balance</source>
        <translation>Tasumata saldo</translation>
    </message>
    <message>
        <source>Ignore this difference</source>
        <translation>Eira seda erinevust</translation>
    </message>
    <message>
        <source>Why is {document} ignored? (kept with it)</source>
        <translation>Miks dokumenti {document} eiratakse? (säilitatakse koos sellega)</translation>
    </message>
    <message>
        <source>Export the differences</source>
        <translation>Ekspordi erinevused</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-failid (*.csv)</translation>
    </message>
    <message>
        <source>First document date</source>
        <translation>Esimese dokumendi kuupäev</translation>
    </message>
    <message>
        <source>Last document date</source>
        <translation>Viimase dokumendi kuupäev</translation>
    </message>
    <message>
        <source>Check now</source>
        <translation>Kontrolli kohe</translation>
    </message>
    <message>
        <source>Compare the invoices, credit notes, bills and receipts dated between these dates</source>
        <translation>Võrdle nende kuupäevade vahele jäävaid arveid, kreeditarveid, ostuarveid ja laekumisi</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Ekspordi CSV…</translation>
    </message>
    <message>
        <source>Documents dated from</source>
        <translation>Dokumendid kuupäevaga alates</translation>
    </message>
    <message>
        <source>to</source>
        <translation>kuni</translation>
    </message>
    <message>
        <source>Press Check now to compare Scoro and QuickBooks.</source>
        <translation>Scoro ja QuickBooksi võrdlemiseks vajutage „Kontrolli kohe“.</translation>
    </message>
    <message>
        <source>Differences between Scoro and QuickBooks</source>
        <translation>Scoro ja QuickBooksi erinevused</translation>
    </message>
    <message>
        <source>Open balance per contact</source>
        <translation>Tasumata saldo kontakti kaupa</translation>
    </message>
    <message>
        <source>&lt;b&gt;Open balance per contact&lt;/b&gt; (documents in these dates)</source>
        <translation>&lt;b&gt;Tasumata saldo kontakti kaupa&lt;/b&gt; (nende kuupäevade dokumendid)</translation>
    </message>
    <message>
        <source>Comparing Scoro and QuickBooks…</source>
        <translation>Võrdlen Scorot ja QuickBooksi…</translation>
    </message>
    <message>
        <source>Could not compare: {reason}</source>
        <translation>Võrdlemine ebaõnnestus: {reason}</translation>
    </message>
    <message>
        <source>Could not compare the books</source>
        <translation>Raamatupidamist ei õnnestunud võrrelda</translation>
    </message>
    <message>
        <source>Agrees</source>
        <translation>Klapib</translation>
    </message>
    <message>
        <source>{action}: not done</source>
        <translation>{action}: ei tehtud</translation>
    </message>
    <message>
        <source>Exported to {file}.</source>
        <translation>Eksporditud faili {file}.</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Send Scoro&apos;s version</source>
        <translation>Saada Scoro versioon</translation>
    </message>
    <message>
        <source>Keep QuickBooks&apos; version</source>
        <translation>Jäta QuickBooksi versioon</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Peida</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Proovi uuesti</translation>
    </message>
    <message>
        <source>Overwrite QuickBooks with what Scoro holds now.</source>
        <translation>Kirjuta QuickBooks üle sellega, mis on praegu Scoros.</translation>
    </message>
    <message>
        <source>Keep what QuickBooks holds and copy it back to Scoro where it flows that way.</source>
        <translation>Jäta alles QuickBooksis olev ja kopeeri see Scorosse tagasi, kui andmed liiguvad selles suunas.</translation>
    </message>
    <message>
        <source>Hide this item. It comes back only if the record changes. Nothing is changed in either system.</source>
        <translation>Peida see kirje. See ilmub uuesti ainult siis, kui kirje muutub. Kummaski süsteemis ei muudeta midagi.</translation>
    </message>
    <message>
        <source>Sync this record again now (after fixing the cause).</source>
        <translation>Sünkrooni see kirje kohe uuesti (pärast põhjuse kõrvaldamist).</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Valuuta</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projektid</translation>
    </message>
    <message>
        <source>Tax rate</source>
        <translation>Maksumäär</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassid</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Tasutud</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Tagasi lükatud</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Kustutatud</translation>
    </message>
    <message>
        <source>Cannot copy</source>
        <translation>Ei saa kopeerida</translation>
    </message>
    <message>
        <source>Totals differ</source>
        <translation>Summad erinevad</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Keeldutud</translation>
    </message>
    <message>
        <source>Use this rate and send again</source>
        <translation>Kasuta seda määra ja saada uuesti</translation>
    </message>
    <message>
        <source>Make the separate contact and send again</source>
        <translation>Loo eraldi kontakt ja saada uuesti</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Kõik</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konfliktid</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Hoiatused</translation>
    </message>
    <message>
        <source>&lt;b&gt;Review&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ülevaatus&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Näita</translation>
    </message>
    <message>
        <source>Items to review</source>
        <translation>Ülevaatamist vajavad kirjed</translation>
    </message>
    <message>
        <source>Values in each system</source>
        <translation>Väärtused kummaski süsteemis</translation>
    </message>
    <message>
        <source>Last synced</source>
        <translation>Viimati sünkrooniti</translation>
    </message>
    <message>
        <source>Highlighted: changed since the last sync.</source>
        <translation>Esile tõstetud: muutunud pärast viimast sünkroonimist.</translation>
    </message>
    <message>
        <source>Dismiss: Hide this item. It comes back only if the record changes.</source>
        <translation>Peida: peidab kirje. See ilmub uuesti ainult siis, kui kirje muutub.</translation>
    </message>
    <message>
        <source>Nothing to review. Conflicts and warnings from syncs appear here.</source>
        <translation>Pole midagi üle vaadata. Sünkroonimiste konfliktid ja hoiatused ilmuvad siia.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Review ({count})&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ülevaatus ({count})&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{record} changed in both systems ({when})</source>
        <translation>{record} muutus mõlemas süsteemis ({when})</translation>
    </message>
    <message>
        <source>Changed since the last sync</source>
        <translation>Muutunud pärast viimast sünkroonimist</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Väärtus</translation>
    </message>
    <message>
        <source>Still needs review</source>
        <translation>Vajab endiselt ülevaatust</translation>
    </message>
    <message>
        <source>{record} is still held for review: {reason}</source>
        <translation>{record} ootab endiselt ülevaatust: {reason}</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Ülevaatus</translation>
    </message>
    <message>
        <source>{action} did not succeed.</source>
        <translation>{action} ei õnnestunud.</translation>
    </message>
    <message>
        <source>{action} for {record} did not work.</source>
        <translation>{action} ({record}) ebaõnnestus.</translation>
    </message>
    <message>
        <source>Fix it here</source>
        <translation>Paranda siin</translation>
    </message>
    <message>
        <source>Current QuickBooks tax rate</source>
        <translation>Kehtiv QuickBooksi maksumäär</translation>
    </message>
    <message>
        <source>A current QuickBooks tax rate to send instead of the old one.</source>
        <translation>Kehtiv QuickBooksi maksumäär, mis saadetakse vana asemel.</translation>
    </message>
    <message>
        <source>the old rate</source>
        <translation>vana määr</translation>
    </message>
    <message>
        <source>Send {rate} to QuickBooks as a current rate. The choice is remembered for this connection, so other documents with this rate go the same way.</source>
        <translation>Saada {rate} QuickBooksi kehtiva määrana. Valik jäetakse selle ühenduse jaoks meelde, nii et teised selle määraga dokumendid saadetakse samamoodi.</translation>
    </message>
    <message>
        <source>— choose a current rate —</source>
        <translation>— valige kehtiv määr —</translation>
    </message>
    <message>
        <source>Remember this rate for {rate} and send {record} to QuickBooks again.</source>
        <translation>Jäta see määr meelde määra {rate} jaoks ja saada {record} uuesti QuickBooksi.</translation>
    </message>
    <message>
        <source>Or change the line&apos;s tax rate in Scoro (open {record}, pick a current rate on the line, save), then choose Try again.</source>
        <translation>Või muutke rea maksumäära Scoros (avage {record}, valige real kehtiv määr, salvestage) ja valige siis „Proovi uuesti“.</translation>
    </message>
    <message>
        <source>QuickBooks allows one currency per contact. Bookkeepers keep a separate contact for each currency, named like “Müller GmbH ({currency})”.</source>
        <translation>QuickBooks lubab ühele kontaktile ühe valuuta. Raamatupidajad peavad iga valuuta jaoks eraldi kontakti, nimega nagu „Müller GmbH ({currency})“.</translation>
    </message>
    <message>
        <source>the contact&apos;s currency</source>
        <translation>kontakti valuuta</translation>
    </message>
    <message>
        <source>Or change the document&apos;s currency in Scoro: open {record}, set its currency to {currency} (top of the document), save, then choose Try again.</source>
        <translation>Või muutke dokumendi valuutat Scoros: avage {record}, määrake valuutaks {currency} (dokumendi ülaosas), salvestage ja valige siis „Proovi uuesti“.</translation>
    </message>
    <message>
        <source>{contact} is already in QuickBooks. Send {record} to it again.</source>
        <translation>{contact} on QuickBooksis juba olemas. Saatke {record} sellele uuesti.</translation>
    </message>
    <message>
        <source>Send again to {contact}</source>
        <translation>Saada uuesti kontaktile {contact}</translation>
    </message>
    <message>
        <source>QuickBooks allows one currency per contact. Make a separate {currency} contact, {contact}, in QuickBooks and send {record} to it.</source>
        <translation>QuickBooks lubab ühele kontaktile ühe valuuta. Looge QuickBooksis eraldi {currency} kontakt {contact} ja saatke {record} sellele.</translation>
    </message>
    <message>
        <source>Create {contact} and send again</source>
        <translation>Loo {contact} ja saada uuesti</translation>
    </message>
    <message>
        <source>Creates the customer {contact} in {currency} in QuickBooks (if it is not there yet) and sends {record} to it.</source>
        <translation>Loob QuickBooksis kliendi {contact} valuutas {currency} (kui seda veel pole) ja saadab {record} sellele.</translation>
    </message>
    <message>
        <source>The contact could not be read from Scoro: {reason}</source>
        <translation>Kontakti ei õnnestunud Scorost lugeda: {reason}</translation>
    </message>
</context>
<context>
    <name>ScoroPage</name>
    <message>
        <source>Your Scoro site, an API key, and the entity to connect.</source>
        <translation>Teie Scoro sait, API-võti ja ühendatav üksus.</translation>
    </message>
    <message>
        <source>https://yourcompany.scoro.com</source>
        <translation>https://teieettevote.scoro.com</translation>
    </message>
    <message>
        <source>Scoro site address</source>
        <translation>Scoro saidi aadress</translation>
    </message>
    <message>
        <source>Scoro API key</source>
        <translation>Scoro API-võti</translation>
    </message>
    <message>
        <source>Scoro company account id</source>
        <translation>Scoro ettevõtte konto ID</translation>
    </message>
    <message>
        <source>Shown next to the API key in Scoro, Settings &gt; External connections &gt; API; usually your site&apos;s name.</source>
        <translation>Näidatakse Scoros API-võtme kõrval (Settings &gt; External connections &gt; API); tavaliselt teie saidi nimi.</translation>
    </message>
    <message>
        <source>Where to find them: in Scoro, &lt;i&gt;Settings &amp;gt; External connections &amp;gt; API&lt;/i&gt;. The company account id is shown next to the API key; it is usually your site&apos;s name. The key is kept in your system keyring, never in a file.</source>
        <translation>Kust need leida: Scoros &lt;i&gt;Settings &amp;gt; External connections &amp;gt; API&lt;/i&gt;. Ettevõtte konto ID on näha API-võtme kõrval; tavaliselt on see teie saidi nimi. Võtit hoitakse süsteemi võtmehoidlas, mitte kunagi failis.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testi</translation>
    </message>
    <message>
        <source>Connect to Scoro and list its entities</source>
        <translation>Ühenda Scoroga ja näita selle üksusi</translation>
    </message>
    <message>
        <source>Entities found</source>
        <translation>Leitud üksused</translation>
    </message>
    <message>
        <source>Site address:</source>
        <translation>Saidi aadress:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-võti:</translation>
    </message>
    <message>
        <source>Company account id:</source>
        <translation>Ettevõtte konto ID:</translation>
    </message>
    <message>
        <source>Entity to connect:</source>
        <translation>Ühendatav üksus:</translation>
    </message>
    <message>
        <source>{name} (from the site address)</source>
        <translation>{name} (saidi aadressist)</translation>
    </message>
    <message>
        <source>usually your site&apos;s name, e.g. yourcompany</source>
        <translation>tavaliselt saidi nimi, nt teieettevote</translation>
    </message>
    <message>
        <source>The API key saved for {name} will be used. Type a key only to use another.</source>
        <translation>Kasutatakse üksusele {name} salvestatud API-võtit. Sisestage võti ainult siis, kui soovite kasutada teist.</translation>
    </message>
    <message>
        <source>Enter the API key first. In Scoro it is under Settings &gt; External connections &gt; API.</source>
        <translation>Sisestage kõigepealt API-võti. Scoros leiate selle: Settings &gt; External connections &gt; API.</translation>
    </message>
    <message>
        <source>Connecting to Scoro…</source>
        <translation>Ühendan Scoroga…</translation>
    </message>
    <message numerus="yes">
        <source>Connected. %n entities found.</source>
        <translation>
            <numerusform>Ühendatud. Leiti %n üksus.</numerusform>
            <numerusform>Ühendatud. Leiti %n üksust.</numerusform>
        </translation>
    </message>
    <message>
        <source>{entity} (already connected)</source>
        <translation>{entity} (juba ühendatud)</translation>
    </message>
    <message>
        <source>Choose it in the main window to change its settings.</source>
        <translation>Selle seadete muutmiseks valige see põhiaknas.</translation>
    </message>
    <message>
        <source>{entity} (needs to sign in again)</source>
        <translation>{entity} (vaja uuesti sisse logida)</translation>
    </message>
    <message>
        <source>Choose it to sign in to QuickBooks again; its settings stay.</source>
        <translation>Valige see, et QuickBooksi uuesti sisse logida; seaded jäävad alles.</translation>
    </message>
    <message>
        <source>To go on, click Test: it checks the address and key and lists the entities.</source>
        <translation>Jätkamiseks klõpsake „Testi“: see kontrollib aadressi ja võtit ning näitab üksusi.</translation>
    </message>
    <message>
        <source>To go on, choose the entity to connect in the list.</source>
        <translation>Jätkamiseks valige loendist ühendatav üksus.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>First settings</source>
        <translation>Esmased seaded</translation>
    </message>
    <message>
        <source>What to sync, which way, and how often. You can change all of this later in the main window.</source>
        <translation>Mida sünkroonida, mis suunas ja kui tihti. Kõike seda saate hiljem põhiaknas muuta.</translation>
    </message>
    <message>
        <source>What to sync, which way, and from which date</source>
        <translation>Mida sünkroonida, mis suunas ja mis kuupäevast</translation>
    </message>
    <message>
        <source>Direction for {category}</source>
        <translation>Suund: {category}</translation>
    </message>
    <message>
        <source>{category}: sync from</source>
        <translation>{category}: sünkrooni alates</translation>
    </message>
    <message>
        <source>When to sync</source>
        <translation>Millal sünkroonida</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automaatne</translation>
    </message>
    <message>
        <source>How often</source>
        <translation>Kui tihti</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Käsitsi</translation>
    </message>
    <message>
        <source>Default accounts (from your QuickBooks chart of accounts)</source>
        <translation>Vaikekontod (teie QuickBooksi kontoplaanist)</translation>
    </message>
    <message>
        <source>Default income account</source>
        <translation>Vaikimisi tulukonto</translation>
    </message>
    <message>
        <source>Given to new products sent to QuickBooks.</source>
        <translation>Määratakse QuickBooksi saadetavatele uutele toodetele.</translation>
    </message>
    <message>
        <source>Default expense account</source>
        <translation>Vaikimisi kulukonto</translation>
    </message>
    <message>
        <source>Used on bill lines without a product.</source>
        <translation>Kasutatakse ostuarve ridadel, millel pole toodet.</translation>
    </message>
    <message>
        <source>Income account:</source>
        <translation>Tulukonto:</translation>
    </message>
    <message>
        <source>Expense account:</source>
        <translation>Kulukonto:</translation>
    </message>
    <message>
        <source>Synced from each date on; the earliest is {date}, the day of connecting. A date is locked once that category&apos;s first sync has run.</source>
        <translation>Sünkroonitakse alates igast kuupäevast; varaseim on {date}, ühendamise päev. Kuupäev lukustub, kui selle kategooria esimene sünkroonimine on tehtud.</translation>
    </message>
    <message>
        <source>Synced from each date on; the earliest is the day of connecting. A date is locked once that category&apos;s first sync has run.</source>
        <translation>Sünkroonitakse alates igast kuupäevast; varaseim on ühendamise päev. Kuupäev lukustub, kui selle kategooria esimene sünkroonimine on tehtud.</translation>
    </message>
    <message>
        <source>— choose an account —</source>
        <translation>— valige konto —</translation>
    </message>
    <message>
        <source>Locked: this category&apos;s first sync has run.</source>
        <translation>Lukustatud: selle kategooria esimene sünkroonimine on tehtud.</translation>
    </message>
    <message>
        <source>{category} dated on or after this day are synced.</source>
        <translation>{category}: sünkroonitakse sellest päevast alates dateeritud kirjed.</translation>
    </message>
    <message>
        <source>choose Automatic or Manual</source>
        <translation>valige Automaatne või Käsitsi</translation>
    </message>
    <message>
        <source>choose an income account</source>
        <translation>valige tulukonto</translation>
    </message>
    <message>
        <source>choose an expense account</source>
        <translation>valige kulukonto</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} ja {last}</translation>
    </message>
    <message>
        <source>To finish, {items}.</source>
        <translation>Lõpetamiseks {items}.</translation>
    </message>
    <message>
        <source>Still needed: {items}</source>
        <translation>Veel on vaja: {items}</translation>
    </message>
</context>
<context>
    <name>SyncSettingsPanel</name>
    <message>
        <source>Sync</source>
        <translation>Sünkroonimine</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automaatne</translation>
    </message>
    <message>
        <source>How often to sync automatically</source>
        <translation>Kui tihti automaatselt sünkroonida</translation>
    </message>
    <message>
        <source>Manual (only when I click Synchronize now)</source>
        <translation>Käsitsi (ainult siis, kui klõpsan „Sünkrooni kohe“)</translation>
    </message>
    <message>
        <source>Background items schedule</source>
        <translation>Taustaandmete ajakava</translation>
    </message>
    <message>
        <source>Tax rates, accounts and classes come from QuickBooks on their own schedule.</source>
        <translation>Maksumäärad, kontod ja klassid tulevad QuickBooksist oma ajakava järgi.</translation>
    </message>
    <message>
        <source>Background items:</source>
        <translation>Taustaandmed:</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>Vaikeväärtused</translation>
    </message>
    <message>
        <source>Default income account</source>
        <translation>Vaikimisi tulukonto</translation>
    </message>
    <message>
        <source>Given to new products sent from Scoro to QuickBooks; each product can still have its own.</source>
        <translation>Määratakse uutele toodetele, mis saadetakse Scorost QuickBooksi; igal tootel võib siiski olla oma konto.</translation>
    </message>
    <message>
        <source>Default expense account</source>
        <translation>Vaikimisi kulukonto</translation>
    </message>
    <message>
        <source>Used on a synced bill line that has no product.</source>
        <translation>Kasutatakse sünkroonitud ostuarve real, millel pole toodet.</translation>
    </message>
    <message>
        <source>Income account:</source>
        <translation>Tulukonto:</translation>
    </message>
    <message>
        <source>Expense account:</source>
        <translation>Kulukonto:</translation>
    </message>
    <message>
        <source>with their documents</source>
        <translation>koos dokumentidega</translation>
    </message>
    <message>
        <source>manually, per document</source>
        <translation>käsitsi, dokumendi kaupa</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Manused:</translation>
    </message>
    <message>
        <source>Bills from QuickBooks without tax details</source>
        <translation>Ostuarved QuickBooksist ilma maksuandmeteta</translation>
    </message>
    <message>
        <source>Bills brought into Scoro carry only their subtotal.</source>
        <translation>Scorosse toodud ostuarvetel on ainult vahesumma.</translation>
    </message>
    <message>
        <source>— choose an account —</source>
        <translation>— valige konto —</translation>
    </message>
    <message>
        <source>The sync settings were not saved.</source>
        <translation>Sünkroonimise seadeid ei salvestatud.</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Open QBSync</source>
        <translation>Ava QBSync</translation>
    </message>
    <message>
        <source>Synchronize now</source>
        <translation>Sünkrooni kohe</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Ülevaatus</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Välju</translation>
    </message>
    <message>
        <source>QBSync — {status}</source>
        <translation>QBSync — {status}</translation>
    </message>
    <message>
        <source>Review ({count})</source>
        <translation>Ülevaatus ({count})</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Connect Scoro to QuickBooks Online</source>
        <translation>Scoro ühendamine QuickBooks Online’iga</translation>
    </message>
    <message>
        <source>&lt;p&gt;This assistant pairs one Scoro entity (company account) with one QuickBooks Online company. You will need:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;your Scoro site address and an API key;&lt;/li&gt;&lt;li&gt;the client id and secret of your QuickBooks app (Intuit developer portal);&lt;/li&gt;&lt;li&gt;to sign in to QuickBooks in your browser and choose the company.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Nothing is synced until you have checked the settings at the end.&lt;/p&gt;&lt;p&gt;&lt;b&gt;QuickBooks Online only — QuickBooks Desktop is not supported.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A Scoro site with several entities can connect each entity to a different QuickBooks company: run this assistant once per entity.&lt;/p&gt;</source>
        <translation>&lt;p&gt;See abiline seob ühe Scoro üksuse (ettevõtte konto) ühe QuickBooks Online’i ettevõttega. Teil on vaja:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;oma Scoro saidi aadressi ja API-võtit;&lt;/li&gt;&lt;li&gt;oma QuickBooksi rakenduse kliendi ID-d ja saladust (Intuiti arendajaportaalist);&lt;/li&gt;&lt;li&gt;logida brauseris QuickBooksi sisse ja valida ettevõte.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Midagi ei sünkroonita enne, kui olete lõpus seaded üle vaadanud.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ainult QuickBooks Online — QuickBooks Desktop ei ole toetatud.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Mitme üksusega Scoro sait saab ühendada iga üksuse eri QuickBooksi ettevõttega: käivitage see abiline iga üksuse jaoks eraldi.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>The Scoro API key and the QuickBooks client secret saved for this connection are used again. Type a secret only if it was changed in the Intuit developer portal.</source>
        <translation>Selle ühenduse jaoks salvestatud Scoro API-võtit ja QuickBooksi kliendi saladust kasutatakse uuesti. Sisestage saladus ainult siis, kui seda on Intuiti arendajaportaalis muudetud.</translation>
    </message>
    <message>
        <source>saved for {name} — leave empty to use it</source>
        <translation>salvestatud üksusele {name} — jätke tühjaks, et seda kasutada</translation>
    </message>
</context>
</TS>
