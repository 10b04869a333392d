/*
 * engine/offline/factory.c - the offline model's factory tasks (ENGINE.md 4):
 * sampling dimensions read from a population's description, a plan of
 * sub-populations whose quantities sum exactly to n, and one specific,
 * believable person per sample, built from the demographic tables
 * (data.h) and the sentence banks below.
 *
 * Reading a description: countries (table names, nationalities and the
 * aliases below, English and Portuguese, plus region words), ages (ranges,
 * open ranges, decades, generation words), gender, income and life-stage
 * words, occupations from the occupations table, and topics through the
 * model's keyword index. The person task reads the description the same
 * way, so a missing pick falls back to what the population says.
 *
 * Languages: dimension names and the income and Big Five levels are fixed
 * machine names; every other value (country names, personality types,
 * attitudes, sentences) is in the population's language (dimensions,
 * plan) or the person's own, which is their country's (person). Picks are
 * read back in either language. Banks are {English, Portuguese} pairs;
 * Portuguese that agrees with the person's gender is written "{o|a}"
 * (masculine|feminine) and resolved by say().
 *
 * Everything is a function of the task and the caller's generator: the
 * same generator state gives byte-identical answers. Reentrant; no global
 * mutable state.
 *
 * NEEDSWORK: the sentence banks and the country aliases (about half of
 * this file) are data: they belong in data/offline/ and data/demographics/
 * beside phrases.tsv and countries.tsv, read and checked by data.c, where
 * they could be edited without a rebuild. They were written here while
 * those files and their loader were being written by someone else.
 */
#include "core/compat.h"

#include "engine/offline/model.h"
#include "engine/offline/offline.h"

#include <math.h>

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/xalloc.h"

#define EN OFFLINE_LANG_EN
#define PT OFFLINE_LANG_PT

#define TEXT_MAX        4000 /* bytes of one composed sentence */
#define MAX_LISTED      48   /* countries or occupations one description can name */
#define MAX_GROUPS      100  /* plan_schema's maxItems */
#define AGE_DEFAULT_MIN 18
#define AGE_DEFAULT_MAX 75
#define AGE_FLOOR       14 /* the youngest person the tables can describe (occupations' min_age) */
#define AGE_CEIL        95

/* ---- small helpers ----------------------------------------------------------------------- */

struct bi {
    const char *en, *pt;
};

static const char *tr(struct bi b, int lang)
{
    return lang == PT ? b.pt : b.en;
}

/* An index in [0, n) drawn with the given weights (non-positive ones never drawn). */
static size_t draw_weighted(struct prng *r, const double *w, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i] > 0 ? w[i] : 0;
    if (total <= 0)
        return (size_t)prng_below(r, n);
    double x = prng_unit(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        if (x < w[i])
            return i;
        x -= w[i];
    }
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0)
            return i;
    return 0;
}

/* An integer in [lo, hi]. */
static int draw_int(struct prng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)prng_below(r, (uint64_t)(hi - lo + 1));
}

static bool chance(struct prng *r, double p)
{
    return prng_unit(r) < p;
}

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/*
 * s lower-cased (ASCII and Latin-1 capitals), '_' and '-' as spaces,
 * runs of spaces collapsed and trimmed, into out (n bytes, truncated).
 */
static void norm(const char *s, char *out, size_t n)
{
    size_t j = 0;
    bool space = true;
    for (; s && *s && j + 2 < n; s++) {
        char c = *s == '_' || *s == '-' || *s == '\t' ? ' ' : *s;
        if (c == ' ') {
            if (!space)
                out[j++] = ' ';
            space = true;
            continue;
        }
        out[j++] = c;
        space = false;
    }
    while (j && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
    text_lower(out);
}

/* Whether a and b are the same words (see norm). */
static bool same_text(const char *a, const char *b)
{
    char x[256], y[256];
    norm(a, x, sizeof(x));
    norm(b, y, sizeof(y));
    return strcmp(x, y) == 0;
}

/* How often keyword (lower-case, words separated by spaces, '*' = prefix) occurs in ws. */
static int kw_count(const struct words *ws, const char *kw)
{
    char *items[1] = { (char *)kw };
    struct strlist l = { items, 1, 1 };
    return words_count_in(ws, &l);
}

/* The total count of the '|'-separated keywords of list in ws. */
static int kws_count(const struct words *ws, const char *list)
{
    int n = 0;
    while (list && *list) {
        size_t len = strcspn(list, "|");
        char kw[128];
        if (len > 0 && len < sizeof(kw)) {
            memcpy(kw, list, len);
            kw[len] = '\0';
            n += kw_count(ws, kw);
        }
        list += len;
        if (*list == '|')
            list++;
    }
    return n;
}

static bool kws_any(const struct words *ws, const char *list)
{
    return kws_count(ws, list) > 0;
}

/* Appends s to out with its first letter upper-cased (ASCII and Latin-1). */
static void add_capitalized(struct buf *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] >= 'a' && u[0] <= 'z') {
        buf_addch(out, (char)(u[0] - 32));
        buf_adds(out, s + 1);
    } else if (u[0] == 0xc3 && u[1] >= 0xa0 && u[1] <= 0xbe && u[1] != 0xb7) {
        buf_addch(out, (char)u[0]);
        buf_addch(out, (char)(u[1] - 0x20));
        buf_adds(out, s + 2);
    } else {
        buf_adds(out, s);
    }
}

/* ---- the value banks of the dimensions --------------------------------------------------- */

/* Big Five levels per type, in the order O C E A N: 'L'ow, 'M'edium, 'H'igh. */
struct personality_type {
    struct bi label;
    const char *levels;
};

enum {
    P_PLANNER,
    P_EXPLORER,
    P_OPTIMIST,
    P_PERFECTIONIST,
    P_PRAGMATIST,
    P_ANALYST,
    P_CAREGIVER,
    P_GOGETTER,
    P_TRADITIONALIST,
    P_FREE_SPIRIT,
    P_COUNT,
};

static const struct personality_type PERSONALITIES[P_COUNT] = {
    [P_PLANNER] = { { "careful planner", "planejamento cuidadoso" }, "MHMML" },
    [P_EXPLORER] = { { "curious explorer", "curiosidade exploradora" }, "HMMML" },
    [P_OPTIMIST] = { { "sociable optimist", "otimismo sociável" }, "MMHHL" },
    [P_PERFECTIONIST] = { { "anxious perfectionist", "perfeccionismo ansioso" }, "MHLMH" },
    [P_PRAGMATIST] = { { "easygoing pragmatist", "pragmatismo descontraído" }, "LLMHL" },
    [P_ANALYST] = { { "reserved analyst", "reserva analítica" }, "HHLLM" },
    [P_CAREGIVER] = { { "warm caregiver", "acolhimento e cuidado" }, "MMMHM" },
    [P_GOGETTER] = { { "competitive go-getter", "ambição competitiva" }, "MHHLM" },
    [P_TRADITIONALIST] = { { "steady traditionalist", "tradição e estabilidade" }, "LHLHL" },
    [P_FREE_SPIRIT] = { { "impulsive free spirit", "espírito livre e impulsivo" }, "HLHMM" },
};

enum { M_FRUGAL, M_BALANCED, M_SPENDER, M_INVESTOR, M_STATUS, M_COUNT };

static const struct bi MONEY[M_COUNT] = {
    [M_FRUGAL] = { "frugal saver", "poupa sempre que pode" },
    [M_BALANCED] = { "balanced", "busca equilíbrio nos gastos" },
    [M_SPENDER] = { "impulsive spender", "gasta por impulso" },
    [M_INVESTOR] = { "investor mindset", "pensa em investir" },
    [M_STATUS] = { "status-conscious", "valoriza marcas e status" },
};

enum { T_EARLY, T_ENTHUSIAST, T_PRAGMATIC, T_CAUTIOUS, T_SCEPTIC, T_COUNT };

static const struct bi TECH[T_COUNT] = {
    [T_EARLY] = { "early adopter", "adota novidades cedo" },
    [T_ENTHUSIAST] = { "enthusiast", "gosta de tecnologia" },
    [T_PRAGMATIC] = { "pragmatic", "usa o que resolve" },
    [T_CAUTIOUS] = { "cautious", "desconfia de novidades" },
    [T_SCEPTIC] = { "sceptic", "evita tecnologia" },
};

enum { C_URBAN, C_SUBURBAN, C_SMALL_TOWN, C_RURAL, C_COUNT };

static const struct bi CULTURE[C_COUNT] = {
    [C_URBAN] = { "big-city urban", "cidade grande" },
    [C_SUBURBAN] = { "suburban", "região metropolitana" },
    [C_SMALL_TOWN] = { "small-town", "cidade do interior" },
    [C_RURAL] = { "rural", "zona rural" },
};

enum { L_NONE, L_PARENT_YOUNG, L_PARENT_TEEN, L_PARENT_ADULT, L_STUDENT, L_RETIRED, L_COUNT };

static const struct bi LIFE[L_COUNT] = {
    [L_NONE] = { "no children at home", "sem filhos em casa" },
    [L_PARENT_YOUNG] = { "parent of young children", "com filhos pequenos" },
    [L_PARENT_TEEN] = { "parent of teenagers", "com filhos adolescentes" },
    [L_PARENT_ADULT] = { "parent of adult children", "com filhos adultos" },
    [L_STUDENT] = { "student", "estudante" },
    [L_RETIRED] = { "retired", "aposentado(a)" },
};

enum { SEX_FEMALE, SEX_MALE, SEX_NONBINARY, SEX_COUNT };

static const struct bi GENDER[SEX_COUNT] = {
    [SEX_FEMALE] = { "female", "feminino" },
    [SEX_MALE] = { "male", "masculino" },
    [SEX_NONBINARY] = { "non-binary", "não binário" },
};

/* Income levels 1..5 (enum income_level) as words; index 0 unused. */
static const struct bi INCOME[6] = {
    { "", "" },
    { "low", "baixa" },
    { "lower middle", "média baixa" },
    { "middle", "média" },
    { "upper middle", "média alta" },
    { "high", "alta" },
};

/* The fixed names of the dimensions this file writes, and what a name means when read. */
enum dim_kind {
    D_COUNTRY,
    D_AGE,
    D_GENDER,
    D_INCOME,
    D_OCCUPATION,
    D_LIFE,
    D_PERSONALITY,
    D_MONEY,
    D_TECH,
    D_CULTURE,
    D_INTERESTS,
    D_OTHER,
};

static const char *const DIM_NAMES[] = {
    [D_COUNTRY] = "country",
    [D_AGE] = "age",
    [D_GENDER] = "gender",
    [D_INCOME] = "income_level",
    [D_OCCUPATION] = "occupation",
    [D_LIFE] = "life_stage",
    [D_PERSONALITY] = "personality",
    [D_MONEY] = "attitude_to_money",
    [D_TECH] = "attitude_to_technology",
    [D_CULTURE] = "cultural_background",
    [D_INTERESTS] = "interests",
};

static const struct bi DIM_LABELS[] = {
    [D_COUNTRY] = { "country", "país" },
    [D_AGE] = { "age", "idade" },
    [D_GENDER] = { "gender", "gênero" },
    [D_INCOME] = { "income", "renda" },
    [D_OCCUPATION] = { "occupation", "ocupação" },
    [D_LIFE] = { "life stage", "fase da vida" },
    [D_PERSONALITY] = { "personality", "personalidade" },
    [D_MONEY] = { "money", "dinheiro" },
    [D_TECH] = { "technology", "tecnologia" },
    [D_CULTURE] = { "background", "origem" },
    [D_INTERESTS] = { "interests", "interesses" },
};

/* What a dimension's name means; the order of the tests matters ("attitude_to_money"). */
static enum dim_kind dim_kind_of(const char *name)
{
    static const struct {
        enum dim_kind kind;
        const char *keywords;
    } kinds[] = {
        { D_MONEY, "money|dinheiro|spending|gastos|finan*|consumo" },
        { D_TECH, "technolog*|tech|tecnologia|digital" },
        { D_PERSONALITY, "personality|personalidade|temperament*|temperamento|character" },
        { D_COUNTRY, "country|countries|país|pais|países|nation*|nacionalidade|residence" },
        { D_AGE, "age|ages|idade|idades|age band|faixa etária|age group" },
        { D_GENDER, "gender|sex|gênero|genero|sexo" },
        { D_INCOME, "income*|renda|class|classe|social class|salary|salário|wealth" },
        { D_OCCUPATION, "occupation*|profession*|job*|ocupação|ocupacao|profissão|profissao|work" },
        { D_LIFE, "life stage|life|stage|fase|household|família|family" },
        { D_CULTURE, "cultur*|background|origem|setting|urban*|region*|região" },
        { D_INTERESTS, "interest*|interesse*|hobb*|topic*|passatempo*" },
    };
    struct words ws;
    words_init(&ws, name);
    enum dim_kind kind = D_OTHER;
    for (size_t i = 0; i < ARRAY_SIZE(kinds) && kind == D_OTHER; i++)
        if (kws_any(&ws, kinds[i].keywords))
            kind = kinds[i].kind;
    words_release(&ws);
    return kind;
}

/* The index of the bank entry whose label (either language) is text, or -1. */
static int bank_find(const struct bi *bank, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if ((bank[i].en[0] && same_text(bank[i].en, text)) ||
            (bank[i].pt[0] && same_text(bank[i].pt, text)))
            return (int)i;
    return -1;
}

/* ---- countries --------------------------------------------------------------------------- */

/*
 * What the tables do not say about a country: its name in Portuguese, the
 * Portuguese demonyms, the words that name it or its people in a
 * description (both languages; subtracted: phrases that look like it but
 * are not, "latin american" for the United States), and its regions.
 * Countries of the table without an entry are found by their name and
 * nationality, and keep their English name.
 */
struct country_alias {
    const char *names; /* '|'-separated names the table may use */
    const char *pt;
    const char *demonym_pt[2]; /* masculine, feminine */
    const char *keywords;
    const char * not ;
    const char
        *regions; /* space-separated: latam europe asia africa lusophone northam oceania mideast */
};

static const struct country_alias ALIASES[] = {
    { "Brazil|Brasil",
      "Brasil",
      { "brasileiro", "brasileira" },
      "brazil|brasil|brazilian*|brasileir*",
      "",
      "latam lusophone" },
    { "Portugal",
      "Portugal",
      { "português", "portuguesa" },
      "portugal|portuguese|portugueses|portuguesas|lusitan*",
      "brazilian portuguese|portuguese speak*|portuguese language|in portuguese",
      "europe lusophone" },
    { "United States|USA|United States of America|US",
      "Estados Unidos",
      { "estadunidense", "estadunidense" },
      "united states|usa|u s|america|americans|american|estados unidos|eua|estadunidense*|"
      "americano*|americana*",
      "latin america*|latino america*|south america*|central america*|sul america*|"
      "américa latina|america latina|américa do sul|latin american*|latino americano*|"
      "latino americana*|sul americano*|sul americana*|south american*|central american*|"
      "hispanic american*",
      "northam" },
    { "United Kingdom|UK|Great Britain|Britain|England",
      "Reino Unido",
      { "britânico", "britânica" },
      "united kingdom|uk|britain|great britain|british|brits|england|reino unido|britânic*|"
      "inglaterra|ingleses|inglesas",
      "",
      "europe" },
    { "Canada",
      "Canadá",
      { "canadense", "canadense" },
      "canada|canadian*|canadá|canadense*",
      "",
      "northam" },
    { "Mexico|México",
      "México",
      { "mexicano", "mexicana" },
      "mexico|méxico|mexican*|mexicano*|mexicana*",
      "",
      "latam northam" },
    { "Argentina",
      "Argentina",
      { "argentino", "argentina" },
      "argentina|argentinian*|argentine*|argentino*|argentinas",
      "",
      "latam" },
    { "Chile", "Chile", { "chileno", "chilena" }, "chile|chilean*|chileno*|chilena*", "", "latam" },
    { "Colombia|Colômbia",
      "Colômbia",
      { "colombiano", "colombiana" },
      "colombia|colômbia|colombian*|colombiano*|colombiana*",
      "",
      "latam" },
    { "Peru", "Peru", { "peruano", "peruana" }, "peru|peruvian*|peruano*|peruana*", "", "latam" },
    { "Spain",
      "Espanha",
      { "espanhol", "espanhola" },
      "spain|spanish|spaniards|espanha|espanhóis|espanhois|espanhola*",
      "spanish speak*|spanish language|in spanish|latin american*",
      "europe" },
    { "France",
      "França",
      { "francês", "francesa" },
      "france|french|frança|franceses|francesa*",
      "french speak*|in french|french language",
      "europe" },
    { "Germany",
      "Alemanha",
      { "alemão", "alemã" },
      "germany|german|germans|alemanha|alemães|alemãs|alemão",
      "german speak*|in german|german language",
      "europe" },
    { "Italy",
      "Itália",
      { "italiano", "italiana" },
      "italy|italian*|itália|italia|italiano*|italiana*",
      "",
      "europe" },
    { "Netherlands|The Netherlands|Holland",
      "Países Baixos",
      { "neerlandês", "neerlandesa" },
      "netherlands|holland|dutch|holanda|países baixos|holandes*|neerlandes*",
      "",
      "europe" },
    { "Ireland",
      "Irlanda",
      { "irlandês", "irlandesa" },
      "ireland|irish|irlanda|irlandes*",
      "",
      "europe" },
    { "Sweden",
      "Suécia",
      { "sueco", "sueca" },
      "sweden|swedish|swedes|suécia|suecos|suecas",
      "",
      "europe" },
    { "Poland",
      "Polônia",
      { "polonês", "polonesa" },
      "poland|polish|poles|polônia|polonia|poloneses|polonesas",
      "",
      "europe" },
    { "India",
      "Índia",
      { "indiano", "indiana" },
      "india|indians|indian|índia|indianos|indianas",
      "american indian*|native american*",
      "asia" },
    { "China", "China", { "chinês", "chinesa" }, "china|chinese|chineses|chinesas", "", "asia" },
    { "Japan",
      "Japão",
      { "japonês", "japonesa" },
      "japan|japanese|japão|japao|japoneses|japonesas",
      "",
      "asia" },
    { "South Korea|Korea",
      "Coreia do Sul",
      { "sul-coreano", "sul-coreana" },
      "south korea|korea|korean*|coreia|coreia do sul|coreano*|coreana*|sul coreano*",
      "",
      "asia" },
    { "Indonesia",
      "Indonésia",
      { "indonésio", "indonésia" },
      "indonesia|indonesian*|indonésia|indonésio*",
      "",
      "asia" },
    { "Philippines",
      "Filipinas",
      { "filipino", "filipina" },
      "philippines|filipino*|filipina*|filipinas",
      "",
      "asia" },
    { "Vietnam|Viet Nam",
      "Vietnã",
      { "vietnamita", "vietnamita" },
      "vietnam|viet nam|vietnamese|vietnã|vietna|vietnamita*",
      "",
      "asia" },
    { "Thailand",
      "Tailândia",
      { "tailandês", "tailandesa" },
      "thailand|thai|tailândia|tailandes*",
      "",
      "asia" },
    { "Pakistan",
      "Paquistão",
      { "paquistanês", "paquistanesa" },
      "pakistan|pakistani*|paquistão|paquistanes*",
      "",
      "asia" },
    { "Bangladesh",
      "Bangladesh",
      { "bengali", "bengali" },
      "bangladesh|bangladeshi*|bengali*",
      "",
      "asia" },
    { "Nigeria",
      "Nigéria",
      { "nigeriano", "nigeriana" },
      "nigeria|nigerian*|nigéria|nigeriano*|nigeriana*",
      "",
      "africa" },
    { "South Africa",
      "África do Sul",
      { "sul-africano", "sul-africana" },
      "south africa|south african*|áfrica do sul|africa do sul|sul africano*|sul africana*",
      "",
      "africa" },
    { "Kenya",
      "Quênia",
      { "queniano", "queniana" },
      "kenya|kenyan*|quênia|quenia|queniano*|queniana*",
      "",
      "africa" },
    { "Egypt",
      "Egito",
      { "egípcio", "egípcia" },
      "egypt|egyptian*|egito|egípci*",
      "",
      "africa mideast" },
    { "Morocco",
      "Marrocos",
      { "marroquino", "marroquina" },
      "morocco|moroccan*|marrocos|marroquin*",
      "",
      "africa mideast" },
    { "Ghana", "Gana", { "ganês", "ganesa" }, "ghana|ghanaian*|gana|ganes*", "", "africa" },
    { "Angola",
      "Angola",
      { "angolano", "angolana" },
      "angola|angolan*|angolano*|angolana*",
      "",
      "africa lusophone" },
    { "Mozambique",
      "Moçambique",
      { "moçambicano", "moçambicana" },
      "mozambique|mozambican*|moçambique|moçambican*",
      "",
      "africa lusophone" },
    { "Australia",
      "Austrália",
      { "australiano", "australiana" },
      "australia|australian*|austrália|australiano*|australiana*",
      "",
      "oceania" },
    { "New Zealand",
      "Nova Zelândia",
      { "neozelandês", "neozelandesa" },
      "new zealand|kiwis|nova zelândia|neozeland*",
      "",
      "oceania" },
    { "Turkey|Türkiye",
      "Turquia",
      { "turco", "turca" },
      "türkiye|turkish|turks|turquia|turcos|turcas",
      "",
      "europe mideast" },
    { "Saudi Arabia",
      "Arábia Saudita",
      { "saudita", "saudita" },
      "saudi arabia|saudi*|arábia saudita|saudita*",
      "",
      "mideast" },
    { "United Arab Emirates|UAE",
      "Emirados Árabes Unidos",
      { "emiradense", "emiradense" },
      "united arab emirates|uae|emirati*|emirados árabes|emirados",
      "",
      "mideast" },
    { "Russia",
      "Rússia",
      { "russo", "russa" },
      "russia|russian*|rússia|russos|russas",
      "",
      "europe asia" },
    { "Ukraine",
      "Ucrânia",
      { "ucraniano", "ucraniana" },
      "ukraine|ukrainian*|ucrânia|ucranian*",
      "",
      "europe" },
    { "Greece",
      "Grécia",
      { "grego", "grega" },
      "greece|greek*|grécia|gregos|gregas",
      "",
      "europe" },
    { "Belgium", "Bélgica", { "belga", "belga" }, "belgium|belgian*|bélgica|belgas", "", "europe" },
    { "Switzerland",
      "Suíça",
      { "suíço", "suíça" },
      "switzerland|swiss|suíça|suíços|suíças",
      "",
      "europe" },
    { "Austria",
      "Áustria",
      { "austríaco", "austríaca" },
      "austria|austrian*|áustria|austríac*",
      "",
      "europe" },
    { "Denmark",
      "Dinamarca",
      { "dinamarquês", "dinamarquesa" },
      "denmark|danish|danes|dinamarca|dinamarques*",
      "",
      "europe" },
    { "Norway",
      "Noruega",
      { "norueguês", "norueguesa" },
      "norway|norwegian*|noruega|norueguês|noruegues*",
      "",
      "europe" },
    { "Finland",
      "Finlândia",
      { "finlandês", "finlandesa" },
      "finland|finnish|finns|finlândia|finlandes*",
      "",
      "europe" },
    { "Romania",
      "Romênia",
      { "romeno", "romena" },
      "romania|romanian*|romênia|romen*",
      "",
      "europe" },
    { "Singapore",
      "Singapura",
      { "singapurense", "singapurense" },
      "singapore|singaporean*|singapura|singapurense*",
      "",
      "asia" },
    { "Israel",
      "Israel",
      { "israelense", "israelense" },
      "israel|israeli*|israelense*",
      "",
      "mideast" },
    { "Venezuela",
      "Venezuela",
      { "venezuelano", "venezuelana" },
      "venezuela|venezuelan*|venezuelano*|venezuelana*",
      "",
      "latam" },
    { "Ecuador",
      "Equador",
      { "equatoriano", "equatoriana" },
      "ecuador|ecuadorian*|equador|equatorian*",
      "",
      "latam" },
    { "Uruguay",
      "Uruguai",
      { "uruguaio", "uruguaia" },
      "uruguay|uruguayan*|uruguai|uruguai*",
      "",
      "latam" },
    { "Paraguay",
      "Paraguai",
      { "paraguaio", "paraguaia" },
      "paraguay|paraguayan*|paraguai|paraguai*",
      "",
      "latam" },
    { "Bolivia",
      "Bolívia",
      { "boliviano", "boliviana" },
      "bolivia|bolivian*|bolívia|boliviano*|boliviana*",
      "",
      "latam" },
    { "Cape Verde|Cabo Verde",
      "Cabo Verde",
      { "cabo-verdiano", "cabo-verdiana" },
      "cape verde*|cabo verde|cabo verdian*",
      "",
      "africa lusophone" },
};

/* Region words and the region tag they stand for. */
static const struct {
    const char *keywords;
    const char *tag;
} REGIONS[] = {
    { "latin america*|latino america*|américa latina|america latina|latinos|latinas|"
      "south america*|américa do sul|sul america*|latam",
      "latam" },
    { "europe|european*|europa|europeu*|europeia*|eu citizens", "europe" },
    { "asia|asian*|ásia|asiátic*", "asia" },
    { "africa|african*|áfrica|african*|africano*|africana*", "africa" },
    { "lusophone*|lusófon*|lusofon*|portuguese speak*|falantes de português|cplp", "lusophone" },
    { "north america*|américa do norte|norte america*", "northam" },
    { "oceania|australasia", "oceania" },
    { "middle east*|oriente médio|mena", "mideast" },
};

static bool has_tag(const char *tags, const char *tag)
{
    size_t n = strlen(tag);
    for (const char *p = tags; (p = strstr(p, tag)) != NULL; p += n)
        if ((p == tags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* Whether name is one of the '|'-separated names (ASCII case ignored). */
static bool names_have(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && strncasecmp(p, name, len) == 0)
            return true;
        p += len + (p[len] == '|');
    }
    return false;
}

/* The alias entry of a table country (by any of its names), or NULL. */
static const struct country_alias *alias_of(const struct offline_country *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(ALIASES); i++)
        if (names_have(ALIASES[i].names, c->name))
            return &ALIASES[i];
    return NULL;
}

bool offline_country_english(const char *name, char *out, size_t size)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(ALIASES); i++) {
        const struct country_alias *a = &ALIASES[i];
        if (names_have(a->names, name) || strcasecmp(a->pt, name) == 0) {
            snprintf(out, size, "%.*s", (int)strcspn(a->names, "|"), a->names);
            return true;
        }
    }
    return false;
}

/* The country's name in lang. */
static const char *country_label(const struct offline_country *c, int lang)
{
    const struct country_alias *a = alias_of(c);
    return lang == PT && a ? a->pt : c->name;
}

/* The person's nationality in lang (Portuguese demonyms agree with the gender). */
static const char *nationality_label(const struct offline_country *c, int lang, bool fem)
{
    const struct country_alias *a = alias_of(c);
    return lang == PT && a ? a->demonym_pt[fem] : c->nationality;
}

/* Whether the description names country c (through its alias words, or name and nationality). */
static bool country_named(const struct offline_country *c, const struct words *ws)
{
    const struct country_alias *a = alias_of(c);
    if (a)
        return kws_count(ws, a->keywords) - kws_count(ws, a->not ) > 0;
    char name[128], nat[128], plural[132];
    norm(c->name, name, sizeof(name));
    norm(c->nationality, nat, sizeof(nat));
    snprintf(plural, sizeof(plural), "%s*", nat);
    return kw_count(ws, name) > 0 || (nat[0] && kw_count(ws, plural) > 0);
}

/* The table's country a pick or a label names (either language, name or nationality), or NULL. */
static const struct offline_country *country_parse(const struct offline_data *d, const char *text)
{
    for (size_t i = 0; i < d->n_countries; i++) {
        const struct offline_country *c = &d->countries[i];
        if (same_text(c->name, text) || same_text(c->nationality, text) ||
            same_text(country_label(c, PT), text))
            return c;
    }
    for (size_t i = 0; i < d->n_countries; i++) {
        const struct country_alias *a = alias_of(&d->countries[i]);
        if (a && (same_text(a->demonym_pt[0], text) || same_text(a->demonym_pt[1], text)))
            return &d->countries[i];
    }
    /* a sentence naming one country ("people in Brazil") */
    struct words ws;
    words_init(&ws, text);
    const struct offline_country *found = NULL;
    for (size_t i = 0; i < d->n_countries && !found; i++)
        if (country_named(&d->countries[i], &ws))
            found = &d->countries[i];
    words_release(&ws);
    return found;
}

/* ---- reading a population's description -------------------------------------------------- */

enum { LIFE_PARENT = 1 << 0, LIFE_STUDENT = 1 << 1, LIFE_RETIRED = 1 << 2 };

struct population {
    size_t countries[MAX_LISTED]; /* indexes into d->countries, named or implied by a region */
    size_t n_countries;
    int age_min, age_max; /* always set: stated, implied by words, or the default */
    bool has_age;
    double gender[SEX_COUNT]; /* shares; all 0 when the description does not say */
    bool has_gender;
    double income[6]; /* shares by enum income_level (1..5) when has_income */
    bool has_income;
    bool mixed_income;              /* "mixed incomes": the countries' shares, spread */
    unsigned life;                  /* LIFE_* */
    size_t occupations[MAX_LISTED]; /* indexes into d->occupations */
    size_t n_occupations;
    int culture;        /* C_* the description leans to, or -1 */
    double *topic_hits; /* n_topics keyword hits; owned */
};

static void population_release(struct population *pop)
{
    FREE_AND_NULL(pop->topic_hits);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether text[0..at) ends with word w (after optional spaces), starting at a word boundary. */
static bool ends_with_word(const char *text, size_t at, const char *w)
{
    while (at > 0 && text[at - 1] == ' ')
        at--;
    size_t n = strlen(w);
    if (at < n || memcmp(text + at - n, w, n) != 0)
        return false;
    if (at == n)
        return true;
    unsigned char before = (unsigned char)text[at - n - 1];
    return !((before >= 'a' && before <= 'z') || before >= 0x80 || is_digit((char)before));
}

/* Whether p starts with w (after optional spaces); moves *end past it. */
static bool starts_with_word(const char *p, const char *w, const char **end)
{
    while (*p == ' ')
        p++;
    size_t n = strlen(w);
    if (strncmp(p, w, n) != 0)
        return false;
    unsigned char after = (unsigned char)p[n];
    if ((after >= 'a' && after <= 'z') || after >= 0x80)
        return false;
    if (end)
        *end = p + n;
    return true;
}

/* Reads an age (10..110) at p; its end in *end. -1 when p does not hold one. */
static int age_at(const char *p, const char **end)
{
    while (*p == ' ')
        p++;
    if (!is_digit(*p))
        return -1;
    int v = 0, digits = 0;
    while (is_digit(*p) && digits < 4) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (is_digit(*p) || *p == '%' || *p == '$' || (*p == ',' && is_digit(p[1])) ||
        (*p == '.' && is_digit(p[1])))
        return -1;
    *end = p;
    return v >= 10 && v <= 110 ? v : -1;
}

/* Widens [*lo, *hi] (or sets it, the first time) to hold [a, b]. */
static void age_union(int a, int b, int *lo, int *hi, bool *has)
{
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    if (!*has) {
        *lo = a;
        *hi = b;
        *has = true;
        return;
    }
    *lo = a < *lo ? a : *lo;
    *hi = b > *hi ? b : *hi;
}

/*
 * Reads stated ages in lower-cased text: "25-40", "25–40", "25 to 40",
 * "entre 25 e 40", "between 25 and 40", "aged 30+", "over 50", "under 30",
 * "acima de 60", "30s", "na casa dos 30", "20-something". Numbers glued
 * to currency, percentages or decimals are not ages.
 */
static void read_ages(const char *text, struct population *pop)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(text[i]) ||
            (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == ',' ||
                       text[i - 1] == '$' || (text[i - 1] >= 'a' && text[i - 1] <= 'z'))))
            continue;
        size_t before = i;
        while (before > 0 && text[before - 1] == ' ')
            before--;
        if (before > 0 && (text[before - 1] == '$' || (unsigned char)text[before - 1] == 0xac ||
                           (unsigned char)text[before - 1] == 0xa3))
            continue; /* "R$ 25", "€25", "£25" */
        const char *end;
        int a = age_at(text + i, &end);
        if (a < 0) {
            while (i + 1 < len && is_digit(text[i + 1]))
                i++;
            continue;
        }
        const char *p = end, *q;
        int b = -1;
        bool between = ends_with_word(text, i, "between") || ends_with_word(text, i, "entre") ||
                       ends_with_word(text, i, "from") || ends_with_word(text, i, "de");
        /* a range */
        const char *sep = p;
        while (*sep == ' ')
            sep++;
        if (*sep == '-' || strncmp(sep, "\xe2\x80\x93", 3) == 0 ||
            strncmp(sep, "\xe2\x80\x94", 3) == 0) {
            const char *after = sep + (*sep == '-' ? 1 : 3);
            if (starts_with_word(after, "something", NULL) ||
                starts_with_word(after, "somethings", NULL)) {
                age_union(a, a + 9, &pop->age_min, &pop->age_max, &pop->has_age);
                i = (size_t)(after - text);
                continue;
            }
            b = age_at(after, &q);
        } else if (starts_with_word(p, "to", &q) || starts_with_word(p, "a", &q) ||
                   starts_with_word(p, "até", &q) ||
                   (between && (starts_with_word(p, "and", &q) || starts_with_word(p, "e", &q)))) {
            b = age_at(q, &q);
        }
        if (b > a) {
            age_union(a, b, &pop->age_min, &pop->age_max, &pop->has_age);
            i = (size_t)(q - text) - 1;
            continue;
        }
        /* decades: "30s", "in their 30s", "na casa dos 30" */
        if (*p == 's' && !(p[1] >= 'a' && p[1] <= 'z') && a % 10 == 0) {
            age_union(a, a + 9, &pop->age_min, &pop->age_max, &pop->has_age);
            continue;
        }
        if (ends_with_word(text, i, "casa dos") && a % 10 == 0) {
            age_union(a, a + 9, &pop->age_min, &pop->age_max, &pop->has_age);
            continue;
        }
        /* open ranges */
        bool plus = *p == '+';
        bool older =
            starts_with_word(p, "or older", NULL) || starts_with_word(p, "and older", NULL) ||
            starts_with_word(p, "and over", NULL) || starts_with_word(p, "or over", NULL) ||
            starts_with_word(p, "anos ou mais", NULL) || starts_with_word(p, "ou mais", NULL) ||
            starts_with_word(p, "years and older", NULL) ||
            starts_with_word(p, "years or older", NULL) || starts_with_word(p, "anos e mais", NULL);
        static const char *const over[] = { "over",     "above",       "older than", "acima de",
                                            "mais de",  "a partir de", "maiores de", "aged over",
                                            "at least", "pelo menos" };
        static const char *const under[] = { "under",     "below",      "younger than", "menos de",
                                             "abaixo de", "menores de", "up to",        "até" };
        for (size_t k = 0; k < ARRAY_SIZE(over) && !older; k++)
            older = ends_with_word(text, i, over[k]);
        bool younger = false;
        for (size_t k = 0; k < ARRAY_SIZE(under) && !younger; k++)
            younger = ends_with_word(text, i, under[k]);
        if (plus || older)
            age_union(a, clampi(a + 18 > 75 ? a + 18 : 75, a, AGE_CEIL - 5), &pop->age_min,
                      &pop->age_max, &pop->has_age);
        else if (younger && a > AGE_FLOOR + 2)
            age_union(a > 30 ? AGE_DEFAULT_MIN : AGE_FLOOR + 1, a - 1, &pop->age_min, &pop->age_max,
                      &pop->has_age);
    }
}

/* Ages implied by words, when no number says them. */
static void read_age_words(const struct words *ws, struct population *pop)
{
    static const struct {
        const char *keywords;
        int min, max;
    } words[] = {
        { "teen*|teenager*|adolescente*|adolescência", 15, 19 },
        { "gen z|generation z|geração z|zoomers|zennials", 18, 28 },
        { "young adults|jovens adultos|young professionals|jovens profissionais", 22, 32 },
        { "young|youth|jovens|jovem|juventude", 18, 29 },
        { "millennial*|gen y|generation y|geração y", 29, 44 },
        { "gen x|generation x|geração x", 45, 60 },
        { "middle aged|meia idade|midlife", 40, 60 },
        { "boomer*|baby boomers", 60, 78 },
        { "seniors|senior citizens|elderly|older adults|older people|idosos|idosas|idoso|idosa|"
          "terceira idade|grandparents|avós|aposentad*|retirees|retired|pensioners",
          60, 85 },
        { "students|student|estudantes|estudante|universitári*|undergrad*|alunos|alunas", 18, 26 },
    };
    /* the most specific words first; the first that matches says it */
    for (size_t i = 0; i < ARRAY_SIZE(words) && !pop->has_age; i++)
        if (kws_any(ws, words[i].keywords))
            age_union(words[i].min, words[i].max, &pop->age_min, &pop->age_max, &pop->has_age);
    if (!pop->has_age && (pop->life & LIFE_PARENT))
        age_union(24, 55, &pop->age_min, &pop->age_max, &pop->has_age);
}

/*
 * Gender words: only women's words make a female population, only men's a
 * male one ("pais" alone leans male: it also means parents), both or
 * neither leave it mixed (has_gender false when neither).
 */
static void read_gender(const struct words *ws, struct population *pop)
{
    static const char female[] =
        "women|woman|female|females|mothers|mother|moms|mom|mums|mum|mommies|girls|ladies|"
        "wives|housewives|grandmothers|grandmas|pregnant|mulheres|mulher|mães|mãe|mamães|"
        "meninas|garotas|moças|esposas|donas de casa|avó|vovós|gestantes|grávidas|senhoras|"
        "feminino|feminina|femininas";
    static const char male[] =
        "men|man|male|males|fathers|father|dads|dad|daddies|boys|guys|gentlemen|husbands|"
        "grandfathers|grandpas|homens|homem|papais|pai|meninos|garotos|rapazes|maridos|avô|"
        "vovôs|senhores|masculino|masculinos";
    int f = kws_count(ws, female), mm = kws_count(ws, male);
    int weak_m = kw_count(ws, "pais"); /* "pais" is fathers, and often parents */
    if (f && !mm && !weak_m) {
        pop->gender[SEX_FEMALE] = 1;
    } else if (mm && !f) {
        pop->gender[SEX_MALE] = 1;
    } else if (weak_m && !f) {
        pop->gender[SEX_MALE] = 0.75;
        pop->gender[SEX_FEMALE] = 0.25;
    } else if (f || mm) {
        pop->gender[SEX_FEMALE] = 0.5;
        pop->gender[SEX_MALE] = 0.5;
    } else {
        return;
    }
    pop->has_gender = true;
}

/* Income words and the distribution over low .. high each stands for. */
static void read_income(const struct words *ws, struct population *pop)
{
    static const struct {
        const char *keywords;
        double shares[5];
    } levels[] = {
        { "low income|lower income|low earners|poor|poverty|baixa renda|renda baixa|"
          "classe baixa|classes d|classe d|classe e|pobres|vulnerável|vulneráveis|"
          "on a tight budget|tight budgets|orçamento apertado|struggling financially",
          { 0.55, 0.35, 0.10, 0, 0 } },
        { "working class|blue collar|classe trabalhadora|classe c|classe média baixa|"
          "lower middle|lower middle class|modest income*|renda modesta",
          { 0.2, 0.5, 0.3, 0, 0 } },
        { "middle class|middle income|classe média|classe media|renda média|renda media|"
          "average income*",
          { 0, 0.25, 0.55, 0.2, 0 } },
        { "upper middle|upper middle class|classe média alta|classe b|comfortable income*|"
          "well off|bem de vida",
          { 0, 0, 0.25, 0.6, 0.15 } },
        { "affluent|wealthy|rich|high income|high earners|upper class|luxury|alta renda|"
          "renda alta|classe alta|classe a|classes a e b|classes a|ricos|ricas|abastad*|"
          "high net worth",
          { 0, 0, 0.05, 0.35, 0.6 } },
    };
    double sum[5] = { 0 };
    bool any = false;
    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        if (!kws_any(ws, levels[i].keywords))
            continue;
        any = true;
        for (int k = 0; k < 5; k++)
            sum[k] += levels[i].shares[k];
    }
    pop->mixed_income = kws_any(
        ws, "mixed income*|mixed incomes|all incomes|all income levels|various incomes|"
            "diverse incomes|different incomes|range of incomes|every income|renda mista|"
            "rendas mistas|rendas variadas|rendas diversas|todas as classes|todas as rendas|"
            "diferentes classes|diferentes rendas|várias classes|todas as faixas de renda");
    if (any && !pop->mixed_income) {
        double total = 0;
        for (int k = 0; k < 5; k++)
            total += sum[k];
        for (int k = 0; k < 5; k++)
            pop->income[k + 1] = sum[k] / total;
        pop->has_income = true;
    }
}

/* Parents, students and retirees named as such. */
static void read_life(const struct words *ws, struct population *pop)
{
    if (kws_any(ws, "parents|parent|mothers|mother|moms|mom|mums|mum|fathers|father|dads|dad|"
                    "families with*|with kids|with children|parenting|new parents|pais|mães|"
                    "mãe|mamães|papais|com filhos|com crianças|maternidade|paternidade|"
                    "famílias com*"))
        pop->life |= LIFE_PARENT;
    if (kws_any(ws, "students|student|undergrad*|estudantes|estudante|universitári*|alunos|"
                    "alunas|vestibulandos|graduandos"))
        pop->life |= LIFE_STUDENT;
    if (kws_any(ws, "retirees|retiree|retired|pensioners|aposentad*|reformad*|pensionistas"))
        pop->life |= LIFE_RETIRED;
}

/* Whether the description leans rural, small-town, suburban or urban. */
static void read_culture(const struct words *ws, struct population *pop)
{
    pop->culture = -1;
    if (kws_any(ws, "rural|countryside|farmers|farm|farms|zona rural|campo|agricultores|roça"))
        pop->culture = C_RURAL;
    else if (kws_any(ws, "small town*|small towns|interior|cidades pequenas|cidade pequena|"
                         "cidades do interior"))
        pop->culture = C_SMALL_TOWN;
    else if (kws_any(ws, "suburb*|subúrbio*|periferia*|região metropolitana|"
                         "regiões metropolitanas"))
        pop->culture = C_SUBURBAN;
    else if (kws_any(ws, "urban|city dwellers|metropolitan|downtown|urbanos|urbanas|capitais|"
                         "cidade grande|grandes cidades|metrópole*|big cities|big city"))
        pop->culture = C_URBAN;
}

/* Whether the occupation is one of the tables' "student" or "retired" entries. */
static bool occupation_is_special(const struct offline_occupation *o)
{
    const char *t = o->title[EN];
    return strcasestr(t, "student") || strcasestr(t, "retire") || strcasestr(t, "pensioner") ||
           strcasestr(t, "unemployed");
}

/* Adds to forms the lower-cased plural of title in lang, as a keyword. */
static void add_plural(char *forms, size_t n, const char *title, int lang)
{
    char t[128];
    norm(title, t, sizeof(t));
    size_t len = strlen(t);
    if (!len || len + 8 > sizeof(t))
        return;
    char p[140];
    char last = t[len - 1];
    if (lang == EN) {
        if (last == 'y' && len > 1 && !strchr("aeiou", t[len - 2]))
            snprintf(p, sizeof(p), "%.*sies", (int)(len - 1), t);
        else if (last == 's' || last == 'x' || (len > 1 && strcmp(t + len - 2, "ch") == 0) ||
                 (len > 1 && strcmp(t + len - 2, "sh") == 0))
            snprintf(p, sizeof(p), "%ses", t);
        else if (strcmp(t + (len > 3 ? len - 3 : 0), "man") == 0)
            snprintf(p, sizeof(p), "%.*smen", (int)(len - 3), t);
        else
            snprintf(p, sizeof(p), "%ss", t);
    } else {
        if (last == 'r' || last == 'z' || last == 's')
            snprintf(p, sizeof(p), "%ses", t);
        else if (last == 'l')
            snprintf(p, sizeof(p), "%.*sis", (int)(len - 1), t);
        else if (last == 'm')
            snprintf(p, sizeof(p), "%.*sns", (int)(len - 1), t);
        else if (len > 3 && strcmp(t + len - 3, "\xc3\xa3o") == 0)
            snprintf(p, sizeof(p), "%.*sões", (int)(len - 3), t);
        else
            snprintf(p, sizeof(p), "%ss", t);
    }
    size_t used = strlen(forms);
    snprintf(forms + used, n - used, "%s%s|%s", used ? "|" : "", t, p);
}

/*
 * Whether the description names occupation o: 0 no, 1 by a form for
 * anyone (English, or a masculine or single Portuguese form), 2 only by a
 * feminine form ("enfermeiras"), which says the people are women.
 */
static int occupation_named(const struct offline_occupation *o, const struct words *ws)
{
    char forms[1024] = "";
    add_plural(forms, sizeof(forms), o->title[EN], EN);
    add_plural(forms, sizeof(forms), o->title[PT], PT);
    if (kws_any(ws, forms))
        return 1;
    forms[0] = '\0';
    if (strcmp(o->title_female[PT], o->title[PT]) != 0)
        add_plural(forms, sizeof(forms), o->title_female[PT], PT);
    if (strcmp(o->title_female[EN], o->title[EN]) != 0)
        add_plural(forms, sizeof(forms), o->title_female[EN], EN);
    return forms[0] && kws_any(ws, forms) ? 2 : 0;
}

/* Whether text names the United States as "US" or "U.S." (capitals: "us" is a pronoun). */
static bool has_us_token(const char *text)
{
    for (const char *p = text; p && (p = strstr(p, "U")) != NULL; p++) {
        bool start =
            p == text || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'));
        size_t n = strncmp(p, "US", 2) == 0 ? 2 : strncmp(p, "U.S.", 4) == 0 ? 4 : 0;
        char after = n ? p[n] : 'x';
        if (start && n && !((after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z')))
            return true;
    }
    return false;
}

/* Reads what the description says about the population. */
static void read_population(const struct offline_model *m, const char *text, struct population *pop)
{
    const struct offline_data *d = m->data;
    memset(pop, 0, sizeof(*pop));
    pop->topic_hits = xcalloc(d->n_topics ? d->n_topics : 1, sizeof(double));
    pop->age_min = AGE_DEFAULT_MIN;
    pop->age_max = AGE_DEFAULT_MAX;
    struct words ws;
    words_init(&ws, text ? text : "");

    for (size_t i = 0; i < d->n_countries && pop->n_countries < MAX_LISTED; i++)
        if (country_named(&d->countries[i], &ws))
            pop->countries[pop->n_countries++] = i;
    for (size_t k = 0; k < ARRAY_SIZE(REGIONS); k++) {
        if (!kws_any(&ws, REGIONS[k].keywords))
            continue;
        for (size_t i = 0; i < d->n_countries && pop->n_countries < MAX_LISTED; i++) {
            const struct country_alias *a = alias_of(&d->countries[i]);
            bool listed = false;
            for (size_t j = 0; j < pop->n_countries; j++)
                listed |= pop->countries[j] == i;
            if (a && !listed && has_tag(a->regions, REGIONS[k].tag))
                pop->countries[pop->n_countries++] = i;
        }
    }

    read_life(&ws, pop);
    char *lower = xstrdup(text ? text : ""); /* ws.lower has dashes turned into spaces */
    text_lower(lower);
    read_ages(lower, pop);
    free(lower);
    if (!pop->has_age)
        read_age_words(&ws, pop);
    if (pop->has_age) {
        pop->age_min = clampi(pop->age_min, AGE_FLOOR, AGE_CEIL);
        pop->age_max = clampi(pop->age_max, pop->age_min, AGE_CEIL);
    }
    read_gender(&ws, pop);
    read_income(&ws, pop);
    read_culture(&ws, pop);
    bool all_feminine = true;
    for (size_t i = 0; i < d->n_occupations && pop->n_occupations < MAX_LISTED; i++) {
        int how = occupation_is_special(&d->occupations[i])
                      ? 0
                      : occupation_named(&d->occupations[i], &ws);
        if (how) {
            pop->occupations[pop->n_occupations++] = i;
            all_feminine &= how == 2;
        }
    }
    if (pop->n_occupations && all_feminine && !pop->has_gender) {
        pop->gender[SEX_FEMALE] = 1;
        pop->has_gender = true;
    }
    topics_count(m, &ws, pop->topic_hits);
    words_release(&ws);
    static const struct {
        unsigned life;
        const char *topic;
    } leans[] = { { LIFE_PARENT, "parenting" },
                  { LIFE_PARENT, "family" },
                  { LIFE_STUDENT, "education" },
                  { LIFE_RETIRED, "health" },
                  { LIFE_RETIRED, "travel" } };
    for (size_t i = 0; i < ARRAY_SIZE(leans); i++) {
        const struct offline_topic *t = offline_topic_find(d, leans[i].topic);
        if (t && (pop->life & leans[i].life))
            pop->topic_hits[t - d->topics] += 1;
    }
    if (has_us_token(text)) {
        for (size_t i = 0; i < d->n_countries && pop->n_countries < MAX_LISTED; i++) {
            const struct country_alias *a = alias_of(&d->countries[i]);
            bool listed = false;
            for (size_t j = 0; j < pop->n_countries; j++)
                listed |= pop->countries[j] == i;
            if (!listed && a && has_tag(a->regions, "northam") && strstr(a->names, "|US"))
                pop->countries[pop->n_countries++] = i;
        }
    }
}

/* The income shares (1..5) of the population: stated, or its countries', spread when mixed. */
static void population_income(const struct offline_data *d, const struct population *pop,
                              const double *country_w, double *out)
{
    memset(out, 0, 6 * sizeof(double));
    if (pop->has_income) {
        memcpy(out, pop->income, 6 * sizeof(double));
        return;
    }
    double total = 0;
    for (size_t i = 0; i < d->n_countries; i++) {
        if (country_w[i] <= 0)
            continue;
        for (int k = 0; k < 5; k++)
            out[k + 1] += country_w[i] * d->countries[i].income_shares[k];
        total += country_w[i];
    }
    for (int k = 1; k <= 5; k++)
        out[k] = total > 0 ? out[k] / total : 0.2;
    if (pop->mixed_income)
        for (int k = 1; k <= 5; k++)
            out[k] = 0.5 * out[k] + 0.1;
}

/*
 * The weight of every country of the table for the population: the named
 * ones equally, else a diverse mix leaning to the language's countries
 * (Brazil first for Portuguese).
 */
static void population_countries(const struct offline_data *d, const struct population *pop,
                                 int lang, double *w)
{
    for (size_t i = 0; i < d->n_countries; i++)
        w[i] = 0;
    if (pop->n_countries) {
        for (size_t j = 0; j < pop->n_countries; j++)
            w[pop->countries[j]] = 1;
        return;
    }
    for (size_t i = 0; i < d->n_countries; i++) {
        const struct offline_country *c = &d->countries[i];
        bool same = offline_lang(c->language) == lang;
        w[i] = same ? 3 : 1.5;
        if (lang == PT && same && strcasecmp(c->name, "Brazil") == 0)
            w[i] = 12;
    }
}

/* ---- the dimensions task ----------------------------------------------------------------- */

/*
 * Appends {"name": name, "values": [...]} to dims: labels with weights
 * normalised to shares rounded to thousandths that sum to exactly 1000
 * thousandths (the largest share absorbs the rounding); weights <= 0 are
 * left out. Nothing is appended when no weight is positive.
 */
static void add_categorical(json_t *dims, const char *name, const char *const *labels,
                            const double *w, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i] > 0 ? w[i] : 0;
    if (total <= 0)
        return;
    long *k = xcalloc(n, sizeof(*k));
    long sum = 0;
    size_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        k[i] = lround(w[i] / total * 1000);
        if (k[i] < 1)
            k[i] = 1;
        sum += k[i];
        if (k[i] > k[largest] || w[largest] <= 0)
            largest = i;
    }
    k[largest] += 1000 - sum;
    json_t *values = json_array();
    for (size_t i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        json_t *v = json_object();
        jsonio_set_str(v, "value", labels[i]);
        jsonio_set_new(v, "share", json_real((double)k[i] / 1000.0));
        json_array_append_new(values, v);
    }
    free(k);
    json_t *dim = json_object();
    jsonio_set_str(dim, "name", name);
    jsonio_set_new(dim, "values", values);
    json_array_append_new(dims, dim);
}

static void add_range(json_t *dims, const char *name, int min, int max)
{
    json_t *range = json_object();
    jsonio_set_new(range, "min", json_integer(min));
    jsonio_set_new(range, "max", json_integer(max));
    json_t *dim = json_object();
    jsonio_set_str(dim, "name", name);
    jsonio_set_new(dim, "range", range);
    json_array_append_new(dims, dim);
}

/* A bank as labels in lang, with weights, appended as a categorical dimension. */
static void add_bank(json_t *dims, enum dim_kind kind, const struct bi *bank, size_t n,
                     const double *w, int lang)
{
    const char *labels[16];
    assert(n <= ARRAY_SIZE(labels));
    for (size_t i = 0; i < n; i++)
        labels[i] = tr(bank[i], lang);
    add_categorical(dims, DIM_NAMES[kind], labels, w, n);
}

/* The share of the income levels low and lower_middle, and of upper_middle and high. */
static void income_tilt(const double *income, double *poor, double *rich)
{
    *poor = income[INCOME_LOW] + 0.5 * income[INCOME_LOWER_MIDDLE];
    *rich = income[INCOME_HIGH] + 0.5 * income[INCOME_UPPER_MIDDLE];
}

/* Shares of the attitudes to money, from the income mix. */
static void money_weights(const double *income, double *w)
{
    double poor, rich;
    income_tilt(income, &poor, &rich);
    w[M_FRUGAL] = 0.15 + 0.35 * poor;
    w[M_BALANCED] = 0.3;
    w[M_SPENDER] = 0.12 + 0.05 * poor;
    w[M_INVESTOR] = 0.08 + 0.3 * rich;
    w[M_STATUS] = 0.06 + 0.15 * rich;
}

/* Shares of the attitudes to technology, from the middle of the age range. */
static void tech_weights(int age_min, int age_max, double *w)
{
    double mid = (age_min + age_max) / 2.0;
    double old = mid <= 25 ? 0 : mid >= 70 ? 1 : (mid - 25) / 45;
    w[T_EARLY] = 0.22 - 0.17 * old;
    w[T_ENTHUSIAST] = 0.3 - 0.18 * old;
    w[T_PRAGMATIC] = 0.3 + 0.05 * old;
    w[T_CAUTIOUS] = 0.12 + 0.18 * old;
    w[T_SCEPTIC] = 0.06 + 0.16 * old;
}

static void culture_weights(int lean, double *w)
{
    w[C_URBAN] = 0.42;
    w[C_SUBURBAN] = 0.28;
    w[C_SMALL_TOWN] = 0.2;
    w[C_RURAL] = 0.1;
    if (lean >= 0) {
        for (int i = 0; i < C_COUNT; i++)
            w[i] *= 0.25;
        w[lean] += 0.75;
    }
}

/* 4 to 6 personality types with uneven shares. */
static void personality_weights(struct prng *r, double *w)
{
    size_t order[P_COUNT];
    for (size_t i = 0; i < P_COUNT; i++) {
        order[i] = i;
        w[i] = 0;
    }
    prng_shuffle(r, order, P_COUNT, sizeof(order[0]));
    size_t n = 4 + (size_t)prng_below(r, 3);
    for (size_t i = 0; i < n; i++)
        w[order[i]] = 0.6 + prng_unit(r);
}

/* Interests: the topics the description favours, then a spread of others (10 or more values). */
static void add_interests(const struct offline_model *m, const struct population *pop, int lang,
                          struct prng *r, json_t *dims)
{
    size_t n = m->data->n_topics;
    if (!n)
        return;
    const char **labels = xcalloc(n, sizeof(*labels));
    double *w = xcalloc(n, sizeof(*w));
    size_t *others = xcalloc(n, sizeof(*others));
    size_t n_others = 0, n_favoured = 0;
    for (size_t t = 0; t < n; t++) {
        labels[t] = topic_label(m, t, lang);
        if (pop->topic_hits[t] > 0) {
            w[t] = 2.5 + pop->topic_hits[t];
            n_favoured++;
        } else {
            others[n_others++] = t;
        }
    }
    prng_shuffle(r, others, n_others, sizeof(others[0]));
    size_t spread = n_favoured >= 8 ? 4 : 12 - n_favoured;
    for (size_t i = 0; i < n_others && i < spread; i++)
        w[others[i]] = 0.6 + 0.8 * prng_unit(r);
    add_categorical(dims, DIM_NAMES[D_INTERESTS], labels, w, n);
    free(labels);
    free(w);
    free(others);
}

/*
 * Always country, age, gender, income, personality, the two attitudes,
 * background and interests; occupation and life stage when the
 * description names them. Values in in->language.
 */
json_t *offline_dimensions(const struct offline_model *m, const struct dimensions_input *in,
                           struct prng *r)
{
    const struct offline_data *d = m->data;
    int lang = offline_lang(in->language);
    struct population pop;
    read_population(m, in->description, &pop);
    json_t *dims = json_array();

    /* country */
    double *cw = xcalloc(d->n_countries ? d->n_countries : 1, sizeof(double));
    const char **labels = xcalloc(d->n_countries ? d->n_countries : 1, sizeof(char *));
    population_countries(d, &pop, lang, cw);
    for (size_t i = 0; i < d->n_countries; i++)
        labels[i] = country_label(&d->countries[i], lang);
    add_categorical(dims, DIM_NAMES[D_COUNTRY], labels, cw, d->n_countries);
    free(labels);

    /* age */
    add_range(dims, DIM_NAMES[D_AGE], pop.age_min, pop.age_max);

    /* gender */
    double gw[SEX_COUNT] = { 0.5, 0.48, 0.02 };
    if (pop.has_gender)
        memcpy(gw, pop.gender, sizeof(gw));
    add_bank(dims, D_GENDER, GENDER, SEX_COUNT, gw, lang);

    /* income */
    double income[6];
    population_income(d, &pop, cw, income);
    add_bank(dims, D_INCOME, INCOME + 1, 5, income + 1, lang);
    free(cw);

    /* what the description says people do */
    if (pop.n_occupations) {
        const char *titles[MAX_LISTED];
        double ow[MAX_LISTED];
        bool female_only = pop.has_gender && pop.gender[SEX_MALE] == 0;
        for (size_t i = 0; i < pop.n_occupations; i++) {
            const struct offline_occupation *o = &d->occupations[pop.occupations[i]];
            titles[i] = female_only ? o->title_female[lang] : o->title[lang];
            ow[i] = 1;
        }
        add_categorical(dims, DIM_NAMES[D_OCCUPATION], titles, ow, pop.n_occupations);
    }
    if (pop.life) {
        double lw[L_COUNT] = { 0 };
        if (pop.life & LIFE_PARENT) {
            lw[L_PARENT_YOUNG] = pop.age_min < 42 ? 0.6 : 0;
            lw[L_PARENT_TEEN] = pop.age_max >= 32 && pop.age_min < 58 ? 0.3 : 0;
            lw[L_PARENT_ADULT] = pop.age_max >= 42 ? 0.2 + (pop.age_min >= 42 ? 0.5 : 0) : 0;
            if (lw[L_PARENT_YOUNG] + lw[L_PARENT_TEEN] + lw[L_PARENT_ADULT] <= 0)
                lw[L_PARENT_YOUNG] = 1;
        }
        if (pop.life & LIFE_STUDENT)
            lw[L_STUDENT] = 1;
        if (pop.life & LIFE_RETIRED)
            lw[L_RETIRED] = 1;
        add_bank(dims, D_LIFE, LIFE, L_COUNT, lw, lang);
    }

    /* always: personality, attitudes, background */
    double pw[P_COUNT];
    personality_weights(r, pw);
    struct bi plabels[P_COUNT];
    for (size_t i = 0; i < P_COUNT; i++)
        plabels[i] = PERSONALITIES[i].label;
    add_bank(dims, D_PERSONALITY, plabels, P_COUNT, pw, lang);
    double mw[M_COUNT];
    money_weights(income, mw);
    add_bank(dims, D_MONEY, MONEY, M_COUNT, mw, lang);
    double tw[T_COUNT];
    tech_weights(pop.age_min, pop.age_max, tw);
    add_bank(dims, D_TECH, TECH, T_COUNT, tw, lang);
    double kw[C_COUNT];
    culture_weights(pop.culture, kw);
    add_bank(dims, D_CULTURE, CULTURE, C_COUNT, kw, lang);

    add_interests(m, &pop, lang, r, dims);
    population_release(&pop);

    json_t *answer = json_object();
    jsonio_set_new(answer, "dimensions", dims);
    return answer;
}

/* ---- the plan task ----------------------------------------------------------------------- */

/* One axis of the plan's grid: a categorical dimension, or the age range cut into bands. */
struct axis {
    size_t dim;     /* index into in->dimensions */
    size_t n;       /* values kept */
    char **labels;  /* owned copies */
    double *shares; /* normalised */
};

static void axis_release(struct axis *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->labels[i]);
    free(a->labels);
    free(a->shares);
    memset(a, 0, sizeof(*a));
}

static void axis_add(struct axis *a, const char *label, double share)
{
    a->labels = xrealloc(a->labels, st_mult(a->n + 1, sizeof(*a->labels)));
    a->shares = xrealloc(a->shares, st_mult(a->n + 1, sizeof(*a->shares)));
    a->labels[a->n] = xstrdup(label);
    a->shares[a->n] = share;
    a->n++;
}

static void axis_normalise(struct axis *a)
{
    double total = 0;
    for (size_t i = 0; i < a->n; i++)
        total += a->shares[i] > 0 ? a->shares[i] : 0;
    for (size_t i = 0; i < a->n; i++)
        a->shares[i] = total > 0 ? (a->shares[i] > 0 ? a->shares[i] / total : 0) : 1.0 / a->n;
}

/* Drops the value with the smallest share (the last of equals). */
static void axis_drop_smallest(struct axis *a)
{
    size_t k = 0;
    for (size_t i = 1; i < a->n; i++)
        if (a->shares[i] <= a->shares[k])
            k = i;
    free(a->labels[k]);
    memmove(a->labels + k, a->labels + k + 1, (a->n - k - 1) * sizeof(*a->labels));
    memmove(a->shares + k, a->shares + k + 1, (a->n - k - 1) * sizeof(*a->shares));
    a->n--;
    axis_normalise(a);
}

/* A numeric range as written in a trait: "25-40" (integers when both bounds are). */
static void range_text(double lo, double hi, char *out, size_t n)
{
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (lo == floor(lo) && hi == floor(hi) && fabs(lo) < 1e9 && fabs(hi) < 1e9)
        snprintf(out, n, "%.0f-%.0f", lo, hi);
    else
        snprintf(out, n, "%g-%g", lo, hi);
}

/*
 * Builds the axis of dimension i: its values, or, for a numeric age, bands
 * of about 13 years weighted by width. Returns false when the dimension
 * cannot split the population (fewer than two values).
 */
static bool axis_build(const struct dimension *dim, size_t i, bool is_age, struct axis *a)
{
    memset(a, 0, sizeof(*a));
    a->dim = i;
    if (dim->numeric) {
        if (!is_age)
            return false;
        int lo = (int)ceil(dim->min < dim->max ? dim->min : dim->max);
        int hi = (int)floor(dim->min < dim->max ? dim->max : dim->min);
        int span = hi - lo + 1;
        if (span < 2)
            return false;
        int k = clampi((span + 12) / 13, 1, 6);
        if (k < 2)
            return false;
        for (int b = 0; b < k; b++) {
            int from = lo + span * b / k, to = lo + span * (b + 1) / k - 1;
            char text[48];
            range_text(from, to, text, sizeof(text));
            axis_add(a, text, to - from + 1);
        }
    } else {
        for (size_t v = 0; v < dim->n_values; v++)
            if (dim->values[v].value && dim->values[v].share > 0)
                axis_add(a, dim->values[v].value, dim->values[v].share);
    }
    axis_normalise(a);
    if (a->n >= 2)
        return true;
    axis_release(a);
    return false;
}

/* The order in which dimensions split a population: most telling first. */
static int split_rank(enum dim_kind k)
{
    static const enum dim_kind order[] = { D_COUNTRY,    D_AGE,  D_INCOME,    D_GENDER,
                                           D_OCCUPATION, D_LIFE, D_CULTURE,   D_PERSONALITY,
                                           D_MONEY,      D_TECH, D_INTERESTS, D_OTHER };
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        if (order[i] == k)
            return (int)i;
    return (int)ARRAY_SIZE(order);
}

/* Which language the plan writes in: Portuguese when its values or description are. */
static int plan_language(const struct offline_model *m, const struct plan_input *in)
{
    int pt = 0, en = 0;
    for (size_t i = 0; i < in->n_dimensions; i++) {
        const struct dimension *dim = &in->dimensions[i];
        for (size_t v = 0; v < dim->n_values; v++) {
            const char *s = dim->values[v].value;
            if (!s)
                continue;
            const struct bi *banks[] = { MONEY, TECH, CULTURE, GENDER };
            const size_t sizes[] = { M_COUNT, T_COUNT, C_COUNT, SEX_COUNT };
            for (size_t b = 0; b < ARRAY_SIZE(banks); b++) {
                for (size_t k = 0; k < sizes[b]; k++) {
                    pt += same_text(banks[b][k].pt, s);
                    en += same_text(banks[b][k].en, s);
                }
            }
        }
    }
    if (pt != en)
        return pt > en ? PT : EN;
    struct words ws;
    words_init(&ws, in->description);
    int lang = text_language(&ws);
    words_release(&ws);
    (void)m;
    return lang;
}

/*
 * Splits n over cells of the given shares by the largest remainder: the
 * floors first, then one more to the cells with the largest fractional
 * parts (the earlier cell wins a tie). out sums to exactly n.
 */
static void largest_remainder(const double *shares, size_t n_cells, int n, int *out)
{
    double *frac = xcalloc(n_cells, sizeof(*frac));
    int given = 0;
    for (size_t i = 0; i < n_cells; i++) {
        double exact = shares[i] * n;
        out[i] = (int)floor(exact);
        frac[i] = exact - out[i];
        given += out[i];
    }
    while (given < n) {
        size_t best = 0;
        for (size_t i = 1; i < n_cells; i++)
            if (frac[i] > frac[best])
                best = i;
        out[best]++;
        frac[best] = -1;
        given++;
    }
    while (given > n) { /* only through floating error */
        size_t best = 0;
        for (size_t i = 1; i < n_cells; i++)
            if (out[i] > out[best])
                best = i;
        out[best]--;
        given--;
    }
    free(frac);
}

/*
 * Gives each kept group one value of dim so that, over the whole plan, the
 * people with each value come close to its share: the groups are taken in
 * a shuffled order (so that dimensions do not line up with each other) and
 * each gets the value furthest behind its quota. Stores the value of group
 * g at out[g * stride]; NULL when dim has no values.
 */
static void assign_quotas(const struct dimension *dim, const int *quantity, const size_t *kept,
                          size_t n_kept, struct prng *r, const char **out, size_t stride)
{
    if (!dim->n_values)
        return;
    double total = 0;
    for (size_t v = 0; v < dim->n_values; v++)
        total += dim->values[v].value && dim->values[v].share > 0 ? dim->values[v].share : 0;
    size_t *order = xcalloc(n_kept ? n_kept : 1, sizeof(*order));
    double *given = xcalloc(dim->n_values, sizeof(*given));
    for (size_t g = 0; g < n_kept; g++)
        order[g] = g;
    prng_shuffle(r, order, n_kept, sizeof(*order));
    double seen = 0;
    for (size_t k = 0; k < n_kept; k++) {
        size_t g = order[k];
        double q = quantity[kept[g]] > 0 ? quantity[kept[g]] : 1;
        seen += q;
        size_t best = dim->n_values;
        double best_gap = 0;
        for (size_t v = 0; v < dim->n_values; v++) {
            if (!dim->values[v].value)
                continue;
            double share = total > 0 ? (dim->values[v].share > 0 ? dim->values[v].share / total : 0)
                                     : 1.0 / (double)dim->n_values;
            double gap = share * seen - given[v];
            if (best == dim->n_values || gap > best_gap) {
                best = v;
                best_gap = gap;
            }
        }
        if (best == dim->n_values)
            break;
        given[best] += q;
        out[g * stride] = dim->values[best].value;
    }
    free(order);
    free(given);
}

/* The label of a dimension in a description: ours translated, others as named. */
static const char *dim_label(const char *name, int lang)
{
    enum dim_kind k = dim_kind_of(name);
    return k == D_OTHER ? name : tr(DIM_LABELS[k], lang);
}

/*
 * The grid of the two most telling dimensions that split the population
 * (country and age bands first), at most MAX_GROUPS cells, quantities by
 * the largest remainder; every other dimension gets one value per group
 * by quotas (assign_quotas), a numeric one its whole range.
 */
json_t *offline_plan(const struct offline_model *m, const struct plan_input *in, struct prng *r)
{
    int lang = plan_language(m, in);
    int n = in->n > 0 ? in->n : 0;

    /* the two most telling dimensions that split the population */
    struct axis axes[2];
    size_t n_axes = 0;
    size_t *order = xcalloc(in->n_dimensions + 1, sizeof(*order));
    for (size_t i = 0; i < in->n_dimensions; i++)
        order[i] = i;
    for (size_t i = 1; i < in->n_dimensions; i++) { /* stable insertion sort by rank */
        size_t x = order[i], j = i;
        int rank = split_rank(dim_kind_of(in->dimensions[x].name));
        while (j > 0 && split_rank(dim_kind_of(in->dimensions[order[j - 1]].name)) > rank) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (size_t i = 0; i < in->n_dimensions && n_axes < 2; i++) {
        const struct dimension *dim = &in->dimensions[order[i]];
        if (axis_build(dim, order[i], dim_kind_of(dim->name) == D_AGE, &axes[n_axes]))
            n_axes++;
    }
    free(order);
    while (n_axes == 2 && axes[0].n * axes[1].n > MAX_GROUPS)
        axis_drop_smallest(axes[0].n >= axes[1].n ? &axes[0] : &axes[1]);
    while (n_axes == 1 && axes[0].n > MAX_GROUPS)
        axis_drop_smallest(&axes[0]);

    size_t na = n_axes >= 1 ? axes[0].n : 1, nb = n_axes == 2 ? axes[1].n : 1;
    size_t n_cells = na * nb;
    double *shares = xcalloc(n_cells, sizeof(*shares));
    int *quantity = xcalloc(n_cells, sizeof(*quantity));
    for (size_t a = 0; a < na; a++)
        for (size_t b = 0; b < nb; b++)
            shares[a * nb + b] =
                (n_axes >= 1 ? axes[0].shares[a] : 1) * (n_axes == 2 ? axes[1].shares[b] : 1);
    largest_remainder(shares, n_cells, n, quantity);

    /* the groups: the cells that got someone (the first one when n is 0) */
    size_t *kept = xcalloc(n_cells, sizeof(*kept));
    size_t n_kept = 0;
    for (size_t c = 0; c < n_cells; c++)
        if (quantity[c] > 0 || (n == 0 && c == 0))
            kept[n_kept++] = c;

    /* one value per dimension and group: the axes' own, or quotas over the groups */
    const char **values = xcalloc(st_mult(n_kept, in->n_dimensions + 1), sizeof(*values));
    char(*ranges)[64] = xcalloc(in->n_dimensions + 1, sizeof(*ranges));
    for (size_t i = 0; i < in->n_dimensions; i++) {
        const struct dimension *dim = &in->dimensions[i];
        int on_axis = -1;
        for (size_t k = 0; k < n_axes; k++)
            if (axes[k].dim == i)
                on_axis = (int)k;
        if (on_axis >= 0) {
            for (size_t g = 0; g < n_kept; g++) {
                size_t pos = on_axis == 0 ? kept[g] / nb : kept[g] % nb;
                values[g * in->n_dimensions + i] = axes[on_axis].labels[pos];
            }
        } else if (dim->numeric) {
            range_text(dim->min, dim->max, ranges[i], sizeof(ranges[i]));
            for (size_t g = 0; g < n_kept; g++)
                values[g * in->n_dimensions + i] = ranges[i];
        } else {
            assign_quotas(dim, quantity, kept, n_kept, r, values + i, in->n_dimensions);
        }
    }

    json_t *groups = json_array();
    for (size_t g = 0; g < n_kept; g++) {
        size_t c = kept[g];
        json_t *traits = json_object();
        struct buf desc, typical;
        buf_init(&desc, TEXT_MAX);
        buf_init(&typical, TEXT_MAX);
        buf_adds(&desc, lang == PT ? "Pessoas" : "People");
        for (size_t k = 0; k < n_axes; k++) {
            const struct dimension *dim = &in->dimensions[axes[k].dim];
            const char *v = values[g * in->n_dimensions + axes[k].dim];
            buf_addf(&desc, "%s %s: %s", k == 0 ? " -" : ";", dim_label(dim->name, lang), v);
        }
        for (size_t i = 0; i < in->n_dimensions; i++) {
            const struct dimension *dim = &in->dimensions[i];
            const char *value = values[g * in->n_dimensions + i];
            if (!value || json_object_get(traits, dim->name))
                continue;
            jsonio_set_str(traits, dim->name, value);
            bool on_axis = false;
            for (size_t k = 0; k < n_axes; k++)
                on_axis |= axes[k].dim == i;
            if (!on_axis && !dim->numeric && dim_kind_of(dim->name) != D_INTERESTS &&
                typical.len < 300)
                buf_addf(&typical, "%s%s", typical.len ? ", " : "", value);
        }
        if (n_axes == 0)
            buf_adds(&desc, lang == PT ? " da população descrita" : " of the population described");
        if (typical.len)
            buf_addf(&desc, " (%s %s)", lang == PT ? "por exemplo:" : "e.g.", typical.data);
        buf_addch(&desc, '.');
        json_t *o = json_object();
        jsonio_set_str(o, "description", desc.data);
        jsonio_set_new(o, "quantity", json_integer(quantity[c]));
        jsonio_set_new(o, "traits", traits);
        json_array_append_new(groups, o);
        buf_release(&desc);
        buf_release(&typical);
    }
    free(values);
    free(ranges);
    free(kept);
    free(shares);
    free(quantity);
    for (size_t k = 0; k < n_axes; k++)
        axis_release(&axes[k]);
    json_t *answer = json_object();
    jsonio_set_new(answer, "groups", groups);
    return answer;
}

/* ---- the person's banks ------------------------------------------------------------------ */

/* A sentence for a topic of topics.tsv (by name). */
struct topic_text {
    const char *topic;
    struct bi text;
};

static const struct topic_text TOPIC_BELIEFS[] = {
    { "arts",
      { "Art should be part of everyday life, not locked away in museums.",
        "A arte deveria fazer parte do dia a dia, não ficar trancada em museus." } },
    { "automotive",
      { "A well-maintained car lasts twice as long.", "Carro bem cuidado dura o dobro." } },
    { "automotive",
      { "Electric cars are the future, but not yet for ordinary budgets.",
        "Carro elétrico é o futuro, mas ainda não cabe no bolso da maioria." } },
    { "beauty",
      { "Self-care is a necessity, not a luxury.", "Autocuidado é necessidade, não luxo." } },
    { "career",
      { "A job should pay the bills, not take over your life.",
        "Trabalho é para pagar as contas, não para tomar a vida inteira." } },
    { "career",
      { "Contacts open more doors than diplomas.", "Contatos abrem mais portas do que diploma." } },
    { "education",
      { "A good education is the best inheritance.", "Educação é a melhor herança." } },
    { "entertainment",
      { "Streaming services have too many choices and too little worth watching.",
        "Os streamings têm opções demais e pouca coisa que preste." } },
    { "family",
      { "Family dinners matter more than any gadget.",
        "Jantar em família vale mais do que qualquer aparelho." } },
    { "fashion",
      { "Good style has nothing to do with price.", "Estilo não tem nada a ver com preço." } },
    { "fitness",
      { "Moving your body every day is the best medicine.",
        "Mexer o corpo todo dia é o melhor remédio." } },
    { "food",
      { "Home-cooked food beats any restaurant.",
        "Comida caseira ganha de qualquer restaurante." } },
    { "gaming",
      { "Video games are as valid a hobby as reading.",
        "Videogame é um hobby tão válido quanto ler." } },
    { "health",
      { "Prevention is cheaper than any treatment.",
        "Prevenir sai mais barato do que qualquer tratamento." } },
    { "home", { "A tidy home makes a calm mind.", "Casa arrumada, cabeça tranquila." } },
    { "money",
      { "Credit card interest rates should be illegal.",
        "Os juros do cartão de crédito deveriam ser proibidos." } },
    { "music", { "A day without music is a grey day.", "Dia sem música é dia cinzento." } },
    { "outdoors",
      { "A weekend in nature fixes what a week in the city breaks.",
        "Um fim de semana na natureza conserta o que a semana na cidade estraga." } },
    { "parenting",
      { "Children learn more from what parents do than from what they say.",
        "Os filhos aprendem mais com o que os pais fazem do que com o que dizem." } },
    { "pets", { "Pets are part of the family.", "Pet é parte da família." } },
    { "security",
      { "You can never be too careful with your personal data.",
        "Todo cuidado é pouco com os dados pessoais." } },
    { "social_media",
      { "Social media shows everyone's best day, never the real one.",
        "Rede social mostra o melhor dia de todo mundo, nunca o dia real." } },
    { "sport",
      { "Sport teaches discipline better than any lecture.",
        "O esporte ensina disciplina melhor do que qualquer sermão." } },
    { "sustainability",
      { "Many companies talk about green products mostly for marketing.",
        "Muita empresa fala de produto verde mais por marketing." } },
    { "sustainability",
      { "Everyone has to consume less to protect the planet.",
        "Cada um precisa consumir menos para proteger o planeta." } },
    { "technology",
      { "Smartphones made life easier and attention spans shorter.",
        "O celular facilitou a vida e encurtou a atenção." } },
    { "travel",
      { "Travelling teaches more than any school.",
        "Viajar ensina mais do que qualquer escola." } },
};

static const struct topic_text TOPIC_SKILLS[] = {
    { "arts", { "drawing", "desenho" } },
    { "arts", { "photography", "fotografia" } },
    { "automotive", { "basic car mechanics", "mecânica básica de carro" } },
    { "beauty", { "make-up", "maquiagem" } },
    { "beauty", { "skin care routines", "rotinas de cuidados com a pele" } },
    { "career", { "networking", "fazer contatos" } },
    { "career", { "writing a strong CV", "montar um bom currículo" } },
    { "education",
      { "explaining complicated things simply", "explicar coisas complicadas de forma simples" } },
    { "education", { "public speaking", "falar em público" } },
    { "entertainment", { "organising parties", "organizar festas" } },
    { "family", { "organising family events", "organizar festas de família" } },
    { "family", { "calming down family arguments", "apaziguar brigas de família" } },
    { "fashion", { "sewing", "costura" } },
    { "fashion", { "putting together outfits", "montar looks" } },
    { "fitness", { "strength training", "musculação" } },
    { "fitness", { "long-distance running", "corrida de longa distância" } },
    { "food", { "cooking for large groups", "cozinhar para muita gente" } },
    { "food", { "baking bread", "fazer pão caseiro" } },
    { "gaming", { "strategy games", "jogos de estratégia" } },
    { "gaming", { "building gaming PCs", "montar PC gamer" } },
    { "health", { "first aid", "primeiros socorros" } },
    { "health", { "calming anxious people", "acalmar pessoas ansiosas" } },
    { "home", { "small repairs around the house", "pequenos reparos em casa" } },
    { "home", { "decorating on a budget", "decorar gastando pouco" } },
    { "money", { "budgeting", "controlar o orçamento" } },
    { "money", { "negotiating prices", "negociar preços" } },
    { "music", { "playing the guitar", "tocar violão" } },
    { "music", { "singing", "cantar" } },
    { "outdoors", { "finding the way on trails", "orientação em trilhas" } },
    { "outdoors", { "camping", "acampar" } },
    { "parenting", { "patience with children", "paciência com crianças" } },
    { "parenting", { "juggling school schedules", "conciliar horários escolares" } },
    { "pets", { "training dogs", "adestrar cachorros" } },
    { "pets", { "caring for sick animals", "cuidar de animais doentes" } },
    { "security", { "spotting scams", "identificar golpes" } },
    { "security", { "self-defence", "defesa pessoal" } },
    { "social_media", { "making short videos", "criar vídeos curtos" } },
    { "social_media", { "growing an online audience", "fazer um perfil crescer nas redes" } },
    { "sport", { "coaching beginners", "treinar iniciantes" } },
    { "sport", { "football", "futebol" } },
    { "sustainability", { "gardening", "jardinagem" } },
    { "sustainability", { "composting", "compostagem" } },
    { "technology", { "programming", "programação" } },
    { "technology", { "fixing computers and phones", "consertar computadores e celulares" } },
    { "technology", { "spreadsheets", "planilhas" } },
    { "travel", { "finding cheap flights", "achar passagens baratas" } },
    { "travel", { "planning trips", "planejar viagens" } },
};

/* Where people of a topic work: a phrase with its article. */
static const struct topic_text TOPIC_ORGS[] = {
    { "arts", { "a cultural centre", "um centro cultural" } },
    { "arts", { "a design studio", "um estúdio de design" } },
    { "automotive", { "a car dealership", "uma concessionária" } },
    { "automotive", { "a mechanic's workshop", "uma oficina mecânica" } },
    { "beauty", { "a beauty salon", "um salão de beleza" } },
    { "beauty", { "a cosmetics store", "uma loja de cosméticos" } },
    { "education", { "a public school", "uma escola pública" } },
    { "education", { "a private school", "uma escola particular" } },
    { "education", { "a language school", "uma escola de idiomas" } },
    { "entertainment", { "a media company", "uma empresa de mídia" } },
    { "entertainment", { "an events company", "uma produtora de eventos" } },
    { "family", { "a day-care centre", "uma creche" } },
    { "family", { "a social assistance centre", "um centro de assistência social" } },
    { "fashion", { "a clothing store", "uma loja de roupas" } },
    { "fashion", { "a small clothing factory", "uma confecção" } },
    { "fitness", { "a gym", "uma academia" } },
    { "fitness", { "a pilates studio", "um estúdio de pilates" } },
    { "food", { "a family restaurant", "um restaurante familiar" } },
    { "food", { "a bakery", "uma padaria" } },
    { "food", { "a supermarket", "um supermercado" } },
    { "gaming", { "a game studio", "um estúdio de jogos" } },
    { "gaming", { "a mobile games company", "uma empresa de jogos para celular" } },
    { "health", { "a public hospital", "um hospital público" } },
    { "health", { "a private clinic", "uma clínica particular" } },
    { "health", { "a community health centre", "uma unidade básica de saúde" } },
    { "home", { "a construction company", "uma construtora" } },
    { "home", { "a home-improvement store", "uma loja de materiais de construção" } },
    { "money", { "a bank branch", "uma agência bancária" } },
    { "money", { "an accounting firm", "um escritório de contabilidade" } },
    { "money", { "an insurance company", "uma seguradora" } },
    { "music", { "a music school", "uma escola de música" } },
    { "music", { "a bar with live music", "um bar com música ao vivo" } },
    { "outdoors", { "a state park", "um parque estadual" } },
    { "outdoors", { "an ecotourism company", "uma empresa de ecoturismo" } },
    { "parenting", { "a primary school", "uma escola de ensino fundamental" } },
    { "parenting", { "a paediatric clinic", "uma clínica pediátrica" } },
    { "pets", { "a veterinary clinic", "uma clínica veterinária" } },
    { "pets", { "a pet shop", "um pet shop" } },
    { "security", { "a private security company", "uma empresa de segurança privada" } },
    { "security", { "a distribution centre", "um centro de distribuição" } },
    { "social_media", { "a digital marketing agency", "uma agência de marketing digital" } },
    { "sport", { "a sports club", "um clube esportivo" } },
    { "sport", { "a football school", "uma escolinha de futebol" } },
    { "sustainability", { "an environmental NGO", "uma ONG ambiental" } },
    { "sustainability", { "a solar energy installer", "uma empresa de energia solar" } },
    { "sustainability", { "a recycling cooperative", "uma cooperativa de reciclagem" } },
    { "technology", { "a software company", "uma empresa de software" } },
    { "technology", { "a fintech start-up", "uma fintech" } },
    { "technology",
      { "the IT department of a retail chain", "o departamento de TI de uma rede varejista" } },
    { "travel", { "a travel agency", "uma agência de viagens" } },
    { "travel", { "a hotel", "um hotel" } },
    { "travel", { "an airline", "uma companhia aérea" } },
};

static const struct bi GENERIC_ORGS[] = {
    { "a mid-sized company", "uma empresa de médio porte" },
    { "a family business", "uma empresa familiar" },
    { "a public agency", "um órgão público" },
    { "a retail chain", "uma rede varejista" },
    { "a logistics company", "uma transportadora" },
    { "a large multinational", "uma grande multinacional" },
};

/* One sentence about the work of a topic. */
static const struct topic_text TOPIC_WORK[] = {
    { "health",
      { "Works rotating shifts, weekends included.",
        "Trabalha em escala, inclusive nos fins de semana." } },
    { "education",
      { "Faces classes of about thirty people a day.",
        "Encara turmas de cerca de trinta pessoas por dia." } },
    { "technology",
      { "Works hybrid, three days a week from home.",
        "Trabalha em modelo híbrido, três dias por semana em casa." } },
    { "money",
      { "Lives by monthly deadlines and other people's numbers.",
        "Vive de prazos mensais e dos números dos outros." } },
    { "food",
      { "Starts early and works most weekends.",
        "Começa cedo e trabalha na maioria dos fins de semana." } },
    { "fashion",
      { "Knows most regular customers by name.",
        "Conhece a maioria dos clientes fiéis pelo nome." } },
    { "beauty",
      { "Has loyal clients who book weeks ahead.",
        "Tem uma clientela fiel que agenda com semanas de antecedência." } },
    { "fitness",
      { "Works early mornings and evenings, when people train.",
        "Trabalha bem cedo e à noite, quando as pessoas treinam." } },
    { "sport",
      { "Spends the weekends at matches and tournaments.",
        "Passa os fins de semana em jogos e campeonatos." } },
    { "travel", { "Spends long days on the move.", "Passa dias longos em deslocamento." } },
    { "security",
      { "Works night shifts twice a week.", "Faz plantões noturnos duas vezes por semana." } },
    { "automotive",
      { "Spends the day between customers and the workshop.",
        "Passa o dia entre clientes e a oficina." } },
    { "home",
      { "Goes from one job site to another across the city.",
        "Roda a cidade de uma obra para outra." } },
    { "pets",
      { "Deals with anxious owners as much as with animals.",
        "Lida tanto com donos ansiosos quanto com os animais." } },
    { "arts",
      { "Juggles commissioned work with personal projects.",
        "Concilia trabalhos encomendados com projetos pessoais." } },
    { "music",
      { "Works most nights and rehearses in the afternoons.",
        "Trabalha à noite e ensaia à tarde." } },
    { "social_media",
      { "Is always on the phone, answering comments and messages.",
        "Vive no celular respondendo comentários e mensagens." } },
    { "sustainability",
      { "Splits the week between fieldwork and reports.",
        "Divide a semana entre trabalho de campo e relatórios." } },
};

static const struct topic_text TOPIC_COURSES[] = {
    { "technology", { "computer science", "ciência da computação" } },
    { "health", { "nursing", "enfermagem" } },
    { "education", { "education", "pedagogia" } },
    { "money", { "business administration", "administração" } },
    { "fashion", { "fashion design", "design de moda" } },
    { "food", { "gastronomy", "gastronomia" } },
    { "sustainability", { "environmental engineering", "engenharia ambiental" } },
    { "sport", { "physical education", "educação física" } },
    { "fitness", { "physical education", "educação física" } },
    { "travel", { "tourism", "turismo" } },
    { "gaming", { "game design", "jogos digitais" } },
    { "arts", { "graphic design", "design gráfico" } },
    { "music", { "music", "música" } },
    { "entertainment", { "film studies", "cinema" } },
    { "social_media", { "advertising", "publicidade e propaganda" } },
    { "security", { "law", "direito" } },
    { "career", { "psychology", "psicologia" } },
    { "automotive", { "mechanical engineering", "engenharia mecânica" } },
    { "home", { "architecture", "arquitetura" } },
    { "pets", { "veterinary medicine", "medicina veterinária" } },
    { "outdoors", { "biology", "biologia" } },
    { "beauty", { "aesthetics", "estética" } },
    { "family", { "social work", "serviço social" } },
    { "parenting", { "psychology", "psicologia" } },
};

/* The i-th entry of bank for topic (counting only that topic's), or NULL. */
static const struct bi *topic_text_find(const struct topic_text *bank, size_t n, const char *topic,
                                        size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(bank[k].topic, topic) == 0 && i-- == 0)
            return &bank[k].text;
    return NULL;
}

static size_t topic_text_count(const struct topic_text *bank, size_t n, const char *topic)
{
    size_t c = 0;
    for (size_t k = 0; k < n; k++)
        c += strcmp(bank[k].topic, topic) == 0;
    return c;
}

/* One of topic's entries drawn with r, or NULL when it has none. */
static const struct bi *topic_text_draw(const struct topic_text *bank, size_t n, const char *topic,
                                        struct prng *r)
{
    size_t c = topic_text_count(bank, n, topic);
    return c ? topic_text_find(bank, n, topic, (size_t)prng_below(r, c)) : NULL;
}

#define TOPIC_DRAW(bank, topic, r) topic_text_draw((bank), ARRAY_SIZE(bank), (topic), (r))

enum value_code {
    V_FAMILY,
    V_THRIFT,
    V_FREEDOM,
    V_HONESTY,
    V_SECURITY,
    V_FAITH,
    V_ACHIEVEMENT,
    V_COMMUNITY,
    V_HEALTH,
    V_LEARNING,
    V_ADVENTURE,
    V_TRADITION,
    V_SUSTAINABILITY,
    V_FAIRNESS,
    V_INDEPENDENCE,
    V_CREATIVITY,
    V_COMFORT,
    V_STATUS,
    V_HARD_WORK,
    V_LOYALTY,
    V_COUNT,
};

/* Each value and, where it says something, the belief that goes with it. */
static const struct {
    struct bi name, belief;
} VALUES[V_COUNT] = {
    [V_FAMILY] = { { "family", "família" },
                   { "Family comes first, even before work.",
                     "A família vem em primeiro lugar, antes até do trabalho." } },
    [V_THRIFT] = { { "thrift", "economia" },
                   { "Whoever spends less than they earn sleeps better.",
                     "Quem gasta menos do que ganha dorme melhor." } },
    [V_FREEDOM] = { { "freedom", "liberdade" },
                    { "Nobody should tell adults how to live their lives.",
                      "Ninguém deve dizer a um adulto como viver a própria vida." } },
    [V_HONESTY] = { { "honesty", "honestidade" },
                    { "A company that hides its prices is hiding something else too.",
                      "Empresa que esconde o preço esconde outras coisas também." } },
    [V_SECURITY] = { { "security", "segurança" },
                     { "An emergency fund is the foundation of a calm life.",
                       "Uma reserva de emergência é a base de uma vida tranquila." } },
    [V_FAITH] = { { "faith", "fé" },
                  { "Faith gives strength in hard times.",
                    "A fé dá força nos momentos difíceis." } },
    [V_ACHIEVEMENT] = { { "achievement", "realização" },
                        { "Results speak louder than titles.",
                          "Resultado fala mais alto do que cargo." } },
    [V_COMMUNITY] = { { "community", "comunidade" },
                      { "Buying from local businesses keeps the neighbourhood alive.",
                        "Comprar do comércio local mantém o bairro vivo." } },
    [V_HEALTH] = { { "health", "saúde" },
                   { "Health is the one thing money cannot buy back.",
                     "Saúde é a única coisa que o dinheiro não compra de volta." } },
    [V_LEARNING] = { { "learning", "aprendizado" },
                     { "It is never too late to learn something new.",
                       "Nunca é tarde para aprender algo novo." } },
    [V_ADVENTURE] = { { "adventure", "aventura" },
                      { "The best stories start with a yes to something unknown.",
                        "As melhores histórias começam com um sim ao desconhecido." } },
    [V_TRADITION] = { { "tradition", "tradição" },
                      { "Holidays are for the whole family, around one table.",
                        "Feriado é para reunir a família inteira em volta da mesa." } },
    [V_SUSTAINABILITY] = { { "sustainability", "sustentabilidade" },
                           { "What we buy today is the planet our children get.",
                             "O que compramos hoje é o planeta que nossos filhos vão herdar." } },
    [V_FAIRNESS] = { { "fairness", "justiça" },
                     { "Everyone deserves the same chances, wherever they were born.",
                       "Todo mundo merece as mesmas chances, não importa onde nasceu." } },
    [V_INDEPENDENCE] = { { "independence", "independência" },
                         { "Depending on others is the last resort.",
                           "Depender dos outros é o último recurso." } },
    [V_CREATIVITY] = { { "creativity", "criatividade" },
                       { "There is always a more interesting way to do things.",
                         "Sempre existe um jeito mais interessante de fazer as coisas." } },
    [V_COMFORT] = { { "comfort", "conforto" },
                    { "Paying for comfort is never a waste.",
                      "Pagar por conforto nunca é desperdício." } },
    [V_STATUS] = { { "recognition", "reconhecimento" },
                   { "Hard work deserves to be seen.", "Trabalho duro merece ser reconhecido." } },
    [V_HARD_WORK] = { { "hard work", "esforço" },
                      { "Nothing good comes without effort.", "Nada de bom vem sem esforço." } },
    [V_LOYALTY] = { { "loyalty", "lealdade" },
                    { "Once a brand earns my trust, I stick with it.",
                      "Quando uma marca ganha minha confiança, eu fico com ela." } },
};

static const struct bi MONEY_BELIEFS[M_COUNT][3] = {
    [M_FRUGAL] = {
        { "Money saved is money earned; nothing is so urgent that prices cannot be compared first.",
          "Dinheiro economizado é dinheiro ganho; nada é tão urgente que não dê para comparar preços antes." },
        { "Subscriptions are a trap: small monthly fees add up to a lot.",
          "Assinatura é armadilha: as pequenas mensalidades somam muito no fim do ano." },
        { "Famous brands charge for the logo; store brands are just as good.",
          "Marca famosa cobra pelo nome; marca própria de mercado é tão boa quanto." },
    },
    [M_BALANCED] = {
        { "It is fine to treat yourself now and then, as long as the bills are paid first.",
          "Tudo bem se dar um agrado de vez em quando, desde que as contas estejam pagas." },
        { "Paying a bit more for something that lasts is cheaper in the long run.",
          "Pagar um pouco mais por algo que dura sai mais barato no longo prazo." },
        { "A budget is a plan, not a punishment.", "Orçamento é planejamento, não castigo." },
    },
    [M_SPENDER] = {
        { "Life is short; if something makes me happy today, it is worth the money.",
          "A vida é curta; se algo me faz feliz hoje, vale o dinheiro." },
        { "Paying in instalments makes almost anything affordable.",
          "Parcelando, quase tudo cabe no bolso." },
        { "Good experiences are worth more than a fat savings account.",
          "Boas experiências valem mais do que uma poupança gorda." },
    },
    [M_INVESTOR] = {
        { "Money sitting in a current account is money losing value.",
          "Dinheiro parado na conta é dinheiro perdendo valor." },
        { "Every purchase competes with what that money could earn.",
          "Toda compra concorre com o que aquele dinheiro poderia render." },
        { "Financial independence comes from small, consistent decisions.",
          "Independência financeira vem de decisões pequenas e constantes." },
    },
    [M_STATUS] = {
        { "People judge you by what you wear and drive, like it or not.",
          "As pessoas julgam pelo que você veste e dirige, goste ou não." },
        { "A well-known brand is a guarantee of quality.",
          "Marca conhecida é garantia de qualidade." },
        { "It is worth paying more for the best version of something.",
          "Vale pagar mais pela melhor versão das coisas." },
    },
};

static const struct bi TECH_BELIEFS[T_COUNT][3] = {
    [T_EARLY] = {
        { "New technology usually makes life better, and being among the first to try it is half the fun.",
          "Tecnologia nova geralmente melhora a vida, e estar entre os primeiros a testar é metade da graça." },
        { "Bugs are a fair price for getting new features early.",
          "Alguns bugs são um preço justo para ter recursos novos antes de todo mundo." },
        { "AI assistants will soon take care of most boring paperwork.",
          "Assistentes de IA logo vão resolver a maior parte da burocracia chata." },
    },
    [T_ENTHUSIAST] = {
        { "Apps save a lot of time if you learn to use them well.",
          "Aplicativos economizam muito tempo se você aprende a usá-los bem." },
        { "Online reviews are the best way to choose what to buy.",
          "Avaliações online são o melhor jeito de escolher o que comprar." },
        { "Paying by phone is safer than carrying cash.",
          "Pagar pelo celular é mais seguro do que andar com dinheiro vivo." },
    },
    [T_PRAGMATIC] = {
        { "A gadget is only worth buying if it solves a real problem.",
          "Só vale comprar um aparelho se ele resolve um problema de verdade." },
        { "The newest model is rarely worth the price difference.",
          "O modelo mais novo raramente vale a diferença de preço." },
        { "Good technology works without a manual.",
          "Tecnologia boa é a que funciona sem manual." },
    },
    [T_CAUTIOUS] = {
        { "Companies collect far too much personal data.",
          "As empresas coletam dados pessoais demais." },
        { "It is better to let others test something new first.",
          "É melhor deixar os outros testarem antes de adotar algo novo." },
        { "Online scams are everywhere; never click a link you did not expect.",
          "Golpe online está em todo lugar; nunca clique em link que você não esperava." },
    },
    [T_SCEPTIC] = {
        { "People spend too much time on screens; talking face to face is better.",
          "As pessoas passam tempo demais nas telas; conversar pessoalmente é melhor." },
        { "Most apps are made to sell you things you do not need.",
          "A maioria dos aplicativos é feita para vender o que você não precisa." },
        { "Cash and a paper notebook never crash.",
          "Dinheiro vivo e caderno de papel nunca travam." },
    },
};

static const struct bi PERSONALITY_BELIEFS[P_COUNT] = {
    [P_PLANNER] = { "A plan made on Sunday saves the whole week.",
                    "Planejar no domingo salva a semana inteira." },
    [P_EXPLORER] = { "You only learn by trying what you have never done.",
                     "Só se aprende experimentando o que nunca se fez." },
    [P_OPTIMIST] = { "Things usually work out when people help each other.",
                     "As coisas costumam dar certo quando as pessoas se ajudam." },
    [P_PERFECTIONIST] = { "If a job is worth doing, it is worth doing properly.",
                          "Se vale a pena fazer, vale a pena fazer direito." },
    [P_PRAGMATIST] = { "Worrying about tomorrow does not change anything.",
                       "Se preocupar com o amanhã não muda nada." },
    [P_ANALYST] = { "Numbers tell the truth that opinions hide.",
                    "Os números mostram a verdade que as opiniões escondem." },
    [P_CAREGIVER] = { "How you treat people matters more than what you own.",
                      "O jeito como você trata as pessoas importa mais do que o que você tem." },
    [P_GOGETTER] = { "Nobody gets ahead by waiting for their turn.",
                     "Ninguém vence na vida esperando a sua vez." },
    [P_TRADITIONALIST] = { "The old ways lasted because they worked.",
                           "O jeito antigo durou porque funcionava." },
    [P_FREE_SPIRIT] = { "Rules are suggestions; life is for living.",
                        "Regra é sugestão; a vida é para ser vivida." },
};

/* Who a goal suits. */
enum {
    NEED_STUDENT = 1 << 0,
    NEED_RETIRED = 1 << 1,
    NEED_WORKER = 1 << 2,
    NEED_PARENT = 1 << 3,
    NEED_NO_KIDS = 1 << 4,
    NEED_LOW = 1 << 5,
    NEED_HIGH = 1 << 6,
    NEED_NOT_HIGH = 1 << 7,
    NEED_ACTIVE = 1 << 8, /* sport, fitness or outdoors among the interests */
    NEED_PT = 1 << 9,
    NEED_EN = 1 << 10,
    NEED_SAVER = 1 << 11, /* frugal, balanced or investor */
};

static const struct {
    int min_age, max_age;
    unsigned need;
    struct bi text;
} GOALS[] = {
    { 14, 17, NEED_STUDENT, { "Get into a good university", "Entrar numa boa universidade" } },
    { 18,
      30,
      NEED_STUDENT,
      { "Finish the degree and land a first job in the field",
        "Terminar a faculdade e conseguir o primeiro emprego na área" } },
    { 18,
      28,
      NEED_STUDENT,
      { "Do an exchange semester abroad", "Fazer um intercâmbio no exterior" } },
    { 18, 32, NEED_NOT_HIGH, { "Have a place of my own", "Ter um cantinho só meu" } },
    { 22,
      50,
      NEED_WORKER,
      { "Get promoted within the next two years", "Ser promovid{o|a} nos próximos dois anos" } },
    { 25, 55, NEED_WORKER, { "Open my own small business", "Abrir um pequeno negócio próprio" } },
    { 20,
      65,
      NEED_LOW,
      { "Pay off the credit card debt", "Quitar a dívida do cartão de crédito" } },
    { 23, 55, NEED_NOT_HIGH, { "Buy my own home", "Comprar a casa própria" } },
    { 22,
      62,
      NEED_PARENT,
      { "Save for the children's education", "Guardar dinheiro para a educação dos filhos" } },
    { 22,
      62,
      NEED_PARENT,
      { "Spend more quality time with the kids", "Passar mais tempo de qualidade com os filhos" } },
    { 25,
      40,
      NEED_NO_KIDS,
      { "Start a family in the next few years", "Formar uma família nos próximos anos" } },
    { 18, 80, 0, { "Travel to {dest}", "Conhecer {dest}" } },
    { 18, 60, NEED_PT, { "Become fluent in English", "Ficar fluente em inglês" } },
    { 18,
      55,
      NEED_EN,
      { "Learn a second language properly", "Aprender direito um segundo idioma" } },
    { 45,
      64,
      NEED_WORKER,
      { "Retire comfortably before 65", "Se aposentar com tranquilidade antes dos 65" } },
    { 58,
      95,
      NEED_RETIRED,
      { "Stay healthy and active for the grandchildren",
        "Manter a saúde e a disposição para curtir os netos" } },
    { 58,
      95,
      NEED_RETIRED,
      { "Travel more now that there is time", "Viajar mais agora que tem tempo" } },
    { 58,
      95,
      NEED_RETIRED,
      { "Write down the family's history", "Escrever a história da família" } },
    { 25,
      60,
      NEED_HIGH,
      { "Build investments that allow an early retirement",
        "Montar investimentos que permitam uma aposentadoria antecipada" } },
    { 16, 60, NEED_ACTIVE, { "Run a half marathon", "Correr uma meia maratona" } },
    { 14, 19, 0, { "Pass the driving test", "Tirar a carteira de motorista" } },
    { 14, 30, 0, { "Learn to play an instrument", "Aprender a tocar um instrumento" } },
    { 25, 70, 0, { "Get back in shape", "Voltar a ficar em forma" } },
    { 28,
      50,
      NEED_WORKER,
      { "Change careers to something with more purpose",
        "Mudar de carreira para algo com mais propósito" } },
    { 28,
      65,
      NEED_SAVER,
      { "Build an emergency fund worth six months of expenses",
        "Juntar uma reserva de emergência de seis meses de despesas" } },
};

static const struct bi DESTINATIONS[] = {
    { "Japan", "o Japão" },
    { "Italy", "a Itália" },
    { "Patagonia", "a Patagônia" },
    { "Iceland", "a Islândia" },
    { "Lisbon", "Lisboa" },
    { "New York", "Nova York" },
    { "Machu Picchu", "Machu Picchu" },
    { "Egypt", "o Egito" },
    { "Australia", "a Austrália" },
    { "the Greek islands", "as ilhas gregas" },
    { "Morocco", "o Marrocos" },
    { "Canada", "o Canadá" },
    { "the Amazon", "a Amazônia" },
    { "Cape Town", "a Cidade do Cabo" },
};

static const struct bi MONEY_BEHAVIORS[M_COUNT][2] = {
    [M_FRUGAL] = { { "Compares prices in at least three places before buying anything",
                     "Compara preços em pelo menos três lugares antes de comprar qualquer coisa" },
                   { "Keeps every receipt and notes each expense in a notebook",
                     "Guarda todas as notas e anota cada gasto num caderninho" } },
    [M_BALANCED] = { { "Reviews the monthly budget on payday",
                       "Revisa o orçamento do mês no dia do pagamento" },
                     { "Waits a few days before any purchase above a set amount",
                       "Espera alguns dias antes de qualquer compra acima de um certo valor" } },
    [M_SPENDER] = { { "Buys on impulse when something is on sale",
                      "Compra por impulso quando vê promoção" },
                    { "Splits most purchases into instalments",
                      "Parcela quase todas as compras" } },
    [M_INVESTOR] = { { "Checks the investment app every morning",
                       "Confere o aplicativo de investimentos toda manhã" },
                     { "Moves part of the salary to savings the day it arrives",
                       "Separa parte do salário para investir no dia em que ele cai" } },
    [M_STATUS] = { { "Follows brand launches closely",
                     "Acompanha de perto os lançamentos das marcas" },
                   { "Upgrades the phone every year", "Troca de celular todo ano" } },
};

static const struct bi TECH_BEHAVIORS[T_COUNT][2] = {
    [T_EARLY] = { { "Signs up for every beta and pre-order",
                    "Se inscreve em todo teste beta e pré-venda" },
                  { "Has a smart speaker answering questions at home",
                    "Tem um assistente de voz respondendo perguntas em casa" } },
    [T_ENTHUSIAST] = { { "Uses the phone for everything, from banking to groceries",
                         "Usa o celular para tudo, do banco ao mercado" },
                       { "Watches reviews on YouTube before buying anything",
                         "Assiste a análises no YouTube antes de comprar qualquer coisa" } },
    [T_PRAGMATIC] = { { "Keeps the same phone until it breaks", "Usa o mesmo celular até quebrar" },
                      { "Uses only a handful of apps, always the same ones",
                        "Usa só meia dúzia de aplicativos, sempre os mesmos" } },
    [T_CAUTIOUS] = { { "Reads reviews and privacy settings before installing an app",
                       "Lê avaliações e as configurações de privacidade antes de instalar um aplicativo" },
                     { "Never saves card details in online shops",
                       "Nunca salva os dados do cartão em lojas online" } },
    [T_SCEPTIC] = { { "Pays bills in person whenever possible",
                      "Paga as contas pessoalmente sempre que pode" },
                    { "Asks younger relatives for help with apps",
                      "Pede ajuda aos parentes mais novos com aplicativos" } },
};

static const struct bi PERSONALITY_BEHAVIORS[P_COUNT] = {
    [P_PLANNER] = { "Writes a to-do list every evening", "Faz uma lista de tarefas toda noite" },
    [P_EXPLORER] = { "Tries a new place to eat every month",
                     "Experimenta um lugar novo para comer todo mês" },
    [P_OPTIMIST] = { "Organises get-togethers with friends", "Organiza encontros com os amigos" },
    [P_PERFECTIONIST] = { "Double-checks everything before sending it",
                          "Confere tudo duas vezes antes de enviar" },
    [P_PRAGMATIST] = { "Leaves things to the last minute", "Deixa as coisas para a última hora" },
    [P_ANALYST] = { "Researches for weeks before a big purchase",
                    "Pesquisa por semanas antes de uma compra grande" },
    [P_CAREGIVER] = { "Is the first to help when a neighbour needs something",
                      "É {o|a} primeir{o|a} a ajudar quando um vizinho precisa" },
    [P_GOGETTER] = { "Always has a new project on the go",
                     "Sempre tem um projeto novo em andamento" },
    [P_TRADITIONALIST] = { "Has Sunday lunch with the family every week",
                           "Almoça com a família todo domingo" },
    [P_FREE_SPIRIT] = { "Changes plans at the last minute", "Muda de planos em cima da hora" },
};

static const struct bi MONEY_LIKES[M_COUNT] = {
    [M_FRUGAL] = { "a good bargain", "uma boa pechincha" },
    [M_BALANCED] = { "quality products that last", "produtos de qualidade que duram" },
    [M_SPENDER] = { "shopping on payday", "fazer compras no dia do pagamento" },
    [M_INVESTOR] = { "personal finance podcasts", "podcasts de finanças pessoais" },
    [M_STATUS] = { "premium brands", "marcas premium" },
};

static const struct bi MONEY_DISLIKES[M_COUNT] = {
    [M_FRUGAL] = { "hidden fees", "taxas escondidas" },
    [M_BALANCED] = { "pushy salespeople", "vendedor insistente" },
    [M_SPENDER] = { "waiting in queues", "esperar em fila" },
    [M_INVESTOR] = { "high bank charges", "tarifas bancárias altas" },
    [M_STATUS] = { "cheap imitations", "imitações baratas" },
};

static const struct bi TECH_LIKES[T_COUNT] = {
    [T_EARLY] = { "new gadgets", "gadgets novos" },
    [T_ENTHUSIAST] = { "apps that save time", "aplicativos que economizam tempo" },
    [T_PRAGMATIC] = { "things that just work", "coisas que simplesmente funcionam" },
    [T_CAUTIOUS] = { "clear privacy settings", "configurações de privacidade claras" },
    [T_SCEPTIC] = { "talking face to face", "conversar pessoalmente" },
};

static const struct bi TECH_DISLIKES[T_COUNT] = {
    [T_EARLY] = { "slow websites", "sites lentos" },
    [T_ENTHUSIAST] = { "apps that crash", "aplicativos que travam" },
    [T_PRAGMATIC] = { "useless features", "funções inúteis" },
    [T_CAUTIOUS] = { "apps that ask for too many permissions",
                     "aplicativos que pedem permissões demais" },
    [T_SCEPTIC] = { "automated phone menus", "atendimento eletrônico por telefone" },
};

static const struct bi PERSONALITY_DISLIKES[P_COUNT] = {
    [P_PLANNER] = { "people who are late", "gente atrasada" },
    [P_EXPLORER] = { "boring routines", "rotina monótona" },
    [P_OPTIMIST] = { "eating alone", "comer sozinh{o|a}" },
    [P_PERFECTIONIST] = { "last-minute changes", "mudanças de última hora" },
    [P_PRAGMATIST] = { "bureaucracy", "burocracia" },
    [P_ANALYST] = { "small talk", "conversa fiada" },
    [P_CAREGIVER] = { "rudeness", "grosseria" },
    [P_GOGETTER] = { "wasting time", "perder tempo" },
    [P_TRADITIONALIST] = { "passing fads", "modismos" },
    [P_FREE_SPIRIT] = { "strict schedules", "horários rígidos" },
};

static const struct bi STYLE_TONES[P_COUNT] = {
    [P_PLANNER] = { "Speaks in an orderly way, often listing pros and cons",
                    "Fala de forma organizada, muitas vezes listando prós e contras" },
    [P_EXPLORER] = { "Asks lots of questions and jumps between ideas with enthusiasm",
                     "Faz muitas perguntas e pula de uma ideia para outra com entusiasmo" },
    [P_OPTIMIST] = { "Chatty and warm, laughs easily and tells stories",
                     "Fala muito e com carinho, ri fácil e conta histórias" },
    [P_PERFECTIONIST] = { "Chooses words carefully and hedges a lot",
                          "Escolhe bem as palavras e faz muitas ressalvas" },
    [P_PRAGMATIST] = { "Relaxed and to the point, with plenty of jokes",
                       "Descontraíd{o|a} e diret{o|a}, com muitas piadas" },
    [P_ANALYST] = { "Quiet and precise; gives short answers backed by numbers",
                    "Fala pouco e com precisão; dá respostas curtas apoiadas em números" },
    [P_CAREGIVER] = { "Gentle and encouraging, always asks how others are doing",
                      "Fala com gentileza e incentivo, sempre pergunta como os outros estão" },
    [P_GOGETTER] = { "Direct and confident, sometimes interrupts",
                     "Diret{o|a} e confiante, às vezes interrompe" },
    [P_TRADITIONALIST] = { "Calm and measured, fond of old sayings",
                           "Fala com calma e ponderação, gosta de ditados populares" },
    [P_FREE_SPIRIT] = { "Lively and spontaneous, full of slang and exaggeration",
                        "Animad{o|a} e espontâne{o|a}, com muita gíria e exagero" },
};

/* Health by age band (under 30, 30-49, 50-64, 65+). */
static const struct bi HEALTH[4][4] = {
    { { "Healthy; sleeps too little in busy weeks", "Saudável; dorme pouco nas semanas puxadas" },
      { "Healthy and plays sport twice a week", "Saudável, pratica esporte duas vezes por semana" },
      { "Mild asthma since childhood", "Asma leve desde a infância" },
      { "Healthy, but lives on coffee", "Saudável, mas vive à base de café" } },
    { { "Generally healthy; back pain now and then from work",
        "Saúde boa no geral; dor nas costas de vez em quando por causa do trabalho" },
      { "Trying to lose a few kilos", "Tentando perder alguns quilos" },
      { "Gets migraines when stressed", "Tem enxaqueca quando está estressad{o|a}" },
      { "Good health; runs at weekends", "Boa saúde; corre nos fins de semana" } },
    { { "High blood pressure, controlled with medication", "Pressão alta controlada com remédio" },
      { "A bad knee that makes stairs hard", "Problema no joelho que dificulta escadas" },
      { "Healthy; walks every day", "Saudável; caminha todos os dias" },
      { "High cholesterol, watching the diet", "Colesterol alto, cuidando da alimentação" } },
    { { "Type 2 diabetes, well controlled", "Diabetes tipo 2, bem controlado" },
      { "Wears reading glasses and a hearing aid", "Usa óculos de leitura e aparelho auditivo" },
      { "Arthritis in the hands", "Artrite nas mãos" },
      { "Good health for the age; swims twice a week",
        "Boa saúde para a idade; nada duas vezes por semana" } },
};

static const struct bi EDUCATION[] = {
    { "Primary school", "Ensino fundamental" }, { "High school diploma", "Ensino médio completo" },
    { "Vocational training", "Curso técnico" }, { "Bachelor's degree", "Ensino superior completo" },
    { "Master's degree", "Mestrado" },          { "PhD", "Doutorado" },
};

static const char *const EDUCATION_NAMES[] = { "none",     "secondary", "vocational",
                                               "bachelor", "master",    "doctorate" };

static const char *const PET_NAMES[] = { "Thor", "Mel",  "Luna",  "Bob",  "Nina",  "Pipoca",
                                         "Max",  "Bela", "Simba", "Fred", "Amora", "Rocky",
                                         "Lola", "Toby", "Mia",   "Bolt", "Kiko",  "Jade" };

static const struct bi PETS[] = {
    { "a dog", "um cachorro" },
    { "a cat", "um gato" },
    { "two cats", "dois gatos" },
    { "a parrot", "um papagaio" },
};

static const struct bi PERSONALITY_SKILLS[P_COUNT] = {
    [P_PLANNER] = { "organising", "organização" },
    [P_EXPLORER] = { "learning new things quickly", "aprender coisas novas rápido" },
    [P_OPTIMIST] = { "making friends anywhere", "fazer amizade em qualquer lugar" },
    [P_PERFECTIONIST] = { "attention to detail", "atenção aos detalhes" },
    [P_PRAGMATIST] = { "improvising solutions", "improvisar soluções" },
    [P_ANALYST] = { "data analysis", "análise de dados" },
    [P_CAREGIVER] = { "listening", "saber ouvir" },
    [P_GOGETTER] = { "negotiating", "negociação" },
    [P_TRADITIONALIST] = { "traditional cooking", "cozinha tradicional" },
    [P_FREE_SPIRIT] = { "improvising on stage", "improviso" },
};

/* ---- the person task --------------------------------------------------------------------- */

enum occ_kind { OCC_JOB, OCC_STUDENT, OCC_RETIRED };

/* Everything decided about the person being made, and the persona it fills. */
struct person {
    const struct offline_model *m;
    const struct offline_data *d;
    struct prng *r;
    struct persona *p;
    int lang;
    int sex;
    bool fem; /* grammatical gender: first names, Portuguese agreement */
    const struct offline_country *country;
    const struct offline_names *names;
    const char *city, *other_city;
    const char *last_name; /* borrowed from the names table */
    int age;
    int age_lo, age_hi;
    enum income_level income;
    int personality, money, tech, culture, life;
    enum occ_kind occ_kind;
    bool self_employed;
    const struct offline_occupation *occ; /* the job, or a retiree's former one */
    const struct offline_occupation *picked_occ;
    int education;    /* index into EDUCATION_NAMES */
    size_t topics[6]; /* interest topics, the picked ones first */
    size_t n_topics;
    bool has_partner;
    int n_kids, youngest_kid;
    struct strlist free_interests; /* picked interests that are no topic */
    struct strlist unknown;        /* "label: value" of picks this file does not know */
};

/* Cities Portuguese names with the article "o" ("no Rio de Janeiro", "do Porto"). */
static bool city_takes_article(const char *city)
{
    static const char *const cities[] = { "Rio de Janeiro", "Recife", "Porto",
                                          "Funchal",        "Cairo",  "Cabo" };
    for (size_t i = 0; i < ARRAY_SIZE(cities); i++)
        if (strcmp(city, cities[i]) == 0)
            return true;
    return false;
}

/* Appends "prep place", contracting in Portuguese: em/de/para/a + o = no/do/para o/ao. */
static void add_place(struct buf *out, const char *prep, const char *place, int lang)
{
    if (lang == PT && city_takes_article(place)) {
        static const struct {
            const char *prep, *with_article;
        } forms[] = { { "em", "no" }, { "de", "do" }, { "para", "para o" }, { "a", "ao" } };
        for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
            if (strcmp(prep, forms[i].prep) == 0) {
                buf_addf(out, "%s %s", forms[i].with_article, place);
                return;
            }
        }
    }
    buf_addf(out, "%s %s", prep, place);
}

/* Placeholders of say(). */
struct say_vars {
    const char *city, *other_city, *dest, *interest, *pet, *pet_name, *org, *occ, *course, *time;
    int n;
};

/*
 * Appends tpl to out, filling {city} {other_city} {dest} {interest} {pet}
 * {pet_name} {org} {occ} {course} {time} {n} from v and resolving
 * "{masculine|feminine}" by the person's gender.
 */
static void say(const struct person *ps, struct buf *out, const char *tpl, const struct say_vars *v)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        { "city", offsetof(struct say_vars, city) },
        { "other_city", offsetof(struct say_vars, other_city) },
        { "dest", offsetof(struct say_vars, dest) },
        { "interest", offsetof(struct say_vars, interest) },
        { "pet", offsetof(struct say_vars, pet) },
        { "pet_name", offsetof(struct say_vars, pet_name) },
        { "org", offsetof(struct say_vars, org) },
        { "occ", offsetof(struct say_vars, occ) },
        { "course", offsetof(struct say_vars, course) },
        { "time", offsetof(struct say_vars, time) },
    };
    for (const char *p = tpl; *p;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            buf_adds(out, p);
            return;
        }
        buf_add(out, p, (size_t)(open - p));
        const char *in = open + 1;
        size_t n = (size_t)(close - in);
        const char *bar = memchr(in, '|', n);
        if (bar) {
            if (ps->fem)
                buf_add(out, bar + 1, (size_t)(close - bar - 1));
            else
                buf_add(out, in, (size_t)(bar - in));
        } else if (n == 1 && *in == 'n') {
            buf_addf(out, "%d", v ? v->n : 0);
        } else if (memchr(in, ' ', n)) { /* "{de city}": a preposition that may contract */
            size_t pn = (size_t)((const char *)memchr(in, ' ', n) - in);
            char prep[8], var[32];
            snprintf(prep, sizeof(prep), "%.*s", (int)(pn < 7 ? pn : 7), in);
            snprintf(var, sizeof(var), "%.*s", (int)(n - pn - 1 < 31 ? n - pn - 1 : 31),
                     in + pn + 1);
            const char *value =
                strcmp(var, "other_city") == 0 ? (v ? v->other_city : NULL) : (v ? v->city : NULL);
            add_place(out, prep, value ? value : "", ps->lang);
        } else {
            const char *value = NULL;
            for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
                if (strlen(fields[i].name) == n && memcmp(fields[i].name, in, n) == 0 && v)
                    value = *(const char *const *)((const char *)v + fields[i].offset);
            buf_adds(out, value ? value : "");
        }
        p = close + 1;
    }
}

/* Adds the said template to l unless it is already there (or empty). */
static void add_said(const struct person *ps, struct strlist *l, const char *tpl,
                     const struct say_vars *v)
{
    struct buf b;
    buf_init(&b, TEXT_MAX);
    say(ps, &b, tpl, v);
    if (b.len && !strlist_has(l, b.data))
        strlist_add(l, b.data);
    buf_release(&b);
}

static const char *title_of(const struct offline_occupation *o, int lang, bool fem)
{
    return fem ? o->title_female[lang] : o->title[lang];
}

static int education_index(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(EDUCATION_NAMES); i++)
        if (strcmp(EDUCATION_NAMES[i], name) == 0)
            return (int)i;
    return 1;
}

/* The youngest age at which an education level is finished. */
static int education_age(int level)
{
    static const int ages[] = { 14, 17, 18, 21, 23, 27 };
    return ages[clampi(level, 0, 5)];
}

static bool topic_named(const struct person *ps, size_t t, const char *name)
{
    return t < ps->d->n_topics && strcmp(ps->d->topics[t].name, name) == 0;
}

static bool has_topic(const struct person *ps, const char *name)
{
    for (size_t i = 0; i < ps->n_topics; i++)
        if (topic_named(ps, ps->topics[i], name))
            return true;
    return false;
}

static void add_topic(struct person *ps, size_t t)
{
    for (size_t i = 0; i < ps->n_topics; i++)
        if (ps->topics[i] == t)
            return;
    if (ps->n_topics < ARRAY_SIZE(ps->topics))
        ps->topics[ps->n_topics++] = t;
}

/* The topic a label or name stands for (either language), or -1. */
static long topic_parse(const struct offline_model *m, const char *text)
{
    const struct offline_data *d = m->data;
    for (size_t t = 0; t < d->n_topics; t++)
        if (same_text(d->topics[t].name, text) || same_text(topic_label(m, t, EN), text) ||
            same_text(topic_label(m, t, PT), text))
            return (long)t;
    double *hits = xcalloc(d->n_topics ? d->n_topics : 1, sizeof(double));
    struct words ws;
    words_init(&ws, text);
    topics_count(m, &ws, hits);
    words_release(&ws);
    long best = -1;
    for (size_t t = 0; t < d->n_topics; t++)
        if (hits[t] > 0 && (best < 0 || hits[t] > hits[best]))
            best = (long)t;
    free(hits);
    return best;
}

/* Reads "34", "25-32", "25 a 32", "25–32" into [*lo, *hi]; false when there is no number. */
static bool parse_range(const char *s, int *lo, int *hi)
{
    while (*s && !is_digit(*s))
        s++;
    if (!*s)
        return false;
    char *end;
    long a = strtol(s, &end, 10);
    const char *p = end;
    while (*p && !is_digit(*p))
        p++;
    long b = *p ? strtol(p, NULL, 10) : a;
    if (b < a) {
        long t = a;
        a = b;
        b = t;
    }
    *lo = (int)clampi((int)(a > 1000 ? 1000 : a), 0, 1000);
    *hi = (int)clampi((int)(b > 1000 ? 1000 : b), 0, 1000);
    return true;
}

/* A pick's value as SEX_*, in either language; -1 when it says none. */
static int gender_parse(const char *text)
{
    int k = bank_find(GENDER, SEX_COUNT, text);
    if (k >= 0)
        return k;
    struct words ws;
    words_init(&ws, text);
    if (kws_any(&ws, "non binary|nonbinary|não binário|não binária|nao binario|enby|other|outro"))
        k = SEX_NONBINARY;
    else if (kws_any(&ws, "female|woman|women|feminino|feminina|mulher|mulheres|f"))
        k = SEX_FEMALE;
    else if (kws_any(&ws, "male|man|men|masculino|homem|homens|m"))
        k = SEX_MALE;
    words_release(&ws);
    return k;
}

/* A pick's value as an income level (1..5): our words, the machine names or income words; -1. */
static int income_parse(const char *text)
{
    for (int l = INCOME_LOW; l <= INCOME_HIGH; l++)
        if (same_text(text, INCOME[l].en) || same_text(text, INCOME[l].pt) ||
            same_text(text, persona_income_name((enum income_level)l)))
            return l;
    struct population pop;
    memset(&pop, 0, sizeof(pop));
    struct words ws;
    words_init(&ws, text);
    read_income(&ws, &pop);
    words_release(&ws);
    if (!pop.has_income)
        return -1;
    int best = 1;
    for (int l = 2; l <= 5; l++)
        if (pop.income[l] > pop.income[best])
            best = l;
    return best;
}

/* The occupation a pick names (any title form, either language), or NULL. */
static const struct offline_occupation *occupation_parse(const struct offline_data *d,
                                                         const char *text)
{
    for (size_t i = 0; i < d->n_occupations; i++) {
        const struct offline_occupation *o = &d->occupations[i];
        for (int l = 0; l < OFFLINE_N_LANGS; l++)
            if (same_text(o->title[l], text) || same_text(o->title_female[l], text))
                return o;
    }
    struct words ws;
    words_init(&ws, text);
    const struct offline_occupation *found = NULL;
    for (size_t i = 0; i < d->n_occupations && !found; i++)
        if (!occupation_is_special(&d->occupations[i]) && occupation_named(&d->occupations[i], &ws))
            found = &d->occupations[i];
    words_release(&ws);
    return found;
}

/* Notes a pick this file cannot use as "label: value", for other_facts. */
static void note_unknown(struct person *ps, const char *label, const char *value)
{
    char line[600];
    snprintf(line, sizeof(line), "%s: %s", label, value);
    if (!strlist_has(&ps->unknown, line))
        strlist_add(&ps->unknown, line);
}

/* Reads the sample's picks; what a pick does not say stays unset (-1 or NULL). */
static void read_picks(struct person *ps, const struct person_input *in)
{
    for (size_t i = 0; i < in->n_picks; i++) {
        const char *dim = in->picks[i].dimension, *v = in->picks[i].value;
        if (!dim || !v || !*v)
            continue;
        enum dim_kind kind = dim_kind_of(dim);
        int k = -1;
        switch (kind) {
        case D_COUNTRY:
            ps->country = country_parse(ps->d, v);
            if (!ps->country)
                note_unknown(ps, dim, v);
            break;
        case D_AGE:
            if (!parse_range(v, &ps->age_lo, &ps->age_hi))
                note_unknown(ps, dim, v);
            break;
        case D_GENDER:
            ps->sex = gender_parse(v);
            break;
        case D_INCOME:
            k = income_parse(v);
            if (k > 0)
                ps->income = (enum income_level)k;
            else
                note_unknown(ps, dim, v);
            break;
        case D_OCCUPATION:
            if (bank_find(LIFE, L_COUNT, v) == L_STUDENT || strcasestr(v, "student") ||
                strcasestr(v, "estudante"))
                ps->life = L_STUDENT;
            else if (bank_find(LIFE, L_COUNT, v) == L_RETIRED || strcasestr(v, "retire") ||
                     strcasestr(v, "aposentad"))
                ps->life = L_RETIRED;
            else if (!(ps->picked_occ = occupation_parse(ps->d, v)))
                note_unknown(ps, dim, v);
            break;
        case D_LIFE:
            ps->life = bank_find(LIFE, L_COUNT, v);
            if (ps->life < 0)
                note_unknown(ps, dim, v);
            break;
        case D_PERSONALITY: {
            struct bi labels[P_COUNT];
            for (size_t j = 0; j < P_COUNT; j++)
                labels[j] = PERSONALITIES[j].label;
            ps->personality = bank_find(labels, P_COUNT, v);
            if (ps->personality < 0)
                strlist_add(&ps->p->traits, v);
            break;
        }
        case D_MONEY:
            ps->money = bank_find(MONEY, M_COUNT, v);
            if (ps->money < 0)
                note_unknown(ps, dim, v);
            break;
        case D_TECH:
            ps->tech = bank_find(TECH, T_COUNT, v);
            if (ps->tech < 0)
                note_unknown(ps, dim, v);
            break;
        case D_CULTURE:
            ps->culture = bank_find(CULTURE, C_COUNT, v);
            if (ps->culture < 0)
                note_unknown(ps, dim, v);
            break;
        case D_INTERESTS: {
            const char *p = v;
            while (*p) {
                size_t len = strcspn(p, ",;");
                char item[200];
                snprintf(item, sizeof(item), "%.*s", (int)(len < 199 ? len : 199), p);
                char trimmed[200];
                norm(item, trimmed, sizeof(trimmed));
                long t = trimmed[0] ? topic_parse(ps->m, item) : -1;
                if (t >= 0)
                    add_topic(ps, (size_t)t);
                else if (trimmed[0])
                    strlist_add(&ps->free_interests, item + strspn(item, " "));
                p += len;
                if (*p)
                    p++;
            }
            break;
        }
        case D_OTHER:
            note_unknown(ps, dim, v);
            break;
        }
    }
}

/*
 * Picked interests the person's life contradicts: parenting without
 * children becomes a reason to have them (when the age allows) or gives
 * way to family; career gives way to family for retirees.
 */
static void fit_topics(struct person *ps)
{
    const struct offline_topic *family = offline_topic_find(ps->d, "family");
    for (size_t i = 0; i < ps->n_topics; i++) {
        bool parenting = topic_named(ps, ps->topics[i], "parenting");
        bool career = topic_named(ps, ps->topics[i], "career");
        if (parenting && ps->life == L_NONE && ps->age >= 22 && ps->age <= 50) {
            ps->life = ps->age >= 34 && chance(ps->r, 0.4) ? L_PARENT_TEEN : L_PARENT_YOUNG;
        } else if ((parenting && ps->life != L_PARENT_YOUNG && ps->life != L_PARENT_TEEN) ||
                   (career && ps->occ_kind == OCC_RETIRED)) {
            if (family)
                ps->topics[i] = (size_t)(family - ps->d->topics);
        }
    }
    for (size_t i = 1; i < ps->n_topics; i++) /* a swap may have made a duplicate */
        for (size_t j = 0; j < i; j++)
            if (ps->topics[j] == ps->topics[i]) {
                memmove(ps->topics + i, ps->topics + i + 1,
                        (ps->n_topics - i - 1) * sizeof(size_t));
                ps->n_topics--;
                i--;
                break;
            }
}

/* Draws what the picks left open, from the population and the tables. */
static void complete_sample(struct person *ps, const struct person_input *in,
                            const struct population *pop)
{
    const struct offline_data *d = ps->d;
    struct prng *r = ps->r;
    if (!ps->country) {
        double *w = xcalloc(d->n_countries, sizeof(double));
        population_countries(d, pop, offline_lang(in->language), w);
        ps->country = &d->countries[draw_weighted(r, w, d->n_countries)];
        free(w);
    }
    ps->lang = offline_lang(ps->country->language);
    ps->names = offline_names_find(d, ps->country->name);

    if (ps->sex < 0) {
        double gw[SEX_COUNT] = { 0.5, 0.48, 0.02 };
        if (pop->has_gender)
            memcpy(gw, pop->gender, sizeof(gw));
        ps->sex = (int)draw_weighted(r, gw, SEX_COUNT);
    }
    ps->fem = ps->sex == SEX_FEMALE || (ps->sex == SEX_NONBINARY && chance(r, 0.5));

    if (ps->life < 0) {
        ps->life = L_NONE;
        if (pop->life & LIFE_STUDENT)
            ps->life = L_STUDENT;
        else if (pop->life & LIFE_RETIRED)
            ps->life = L_RETIRED;
        else if (pop->life & LIFE_PARENT)
            ps->life = L_PARENT_YOUNG;
    }

    /* age: the pick's range, else the population's, narrowed to fit the life stage */
    if (ps->age_lo <= 0) {
        ps->age_lo = pop->age_min;
        ps->age_hi = pop->age_max;
    }
    int lo = clampi(ps->age_lo, AGE_FLOOR, AGE_CEIL), hi = clampi(ps->age_hi, lo, AGE_CEIL);
    if (ps->life == L_STUDENT && lo <= 26)
        hi = hi < 26 ? hi : 26;
    else if (ps->life == L_RETIRED && hi >= 58)
        lo = lo > 58 ? lo : 58;
    else if (ps->life == L_PARENT_TEEN && hi >= 32)
        lo = lo > 32 ? lo : 32;
    else if (ps->life == L_PARENT_ADULT && hi >= 42)
        lo = lo > 42 ? lo : 42;
    else if (ps->life == L_PARENT_YOUNG && lo <= 50)
        hi = hi < 50 ? hi : 50;
    if (ps->picked_occ && hi >= ps->picked_occ->min_age)
        lo = lo > ps->picked_occ->min_age ? lo : ps->picked_occ->min_age;
    if (ps->life == L_PARENT_YOUNG || ps->life == L_PARENT_TEEN || ps->life == L_PARENT_ADULT)
        lo = lo > 20 && hi >= 20 ? lo : (hi >= 20 ? 20 : lo);
    ps->age = draw_int(r, lo, hi);

    if (ps->income == INCOME_UNSET) {
        double iw[6];
        if (pop->has_income) {
            memcpy(iw, pop->income, sizeof(iw));
        } else {
            for (int k = 0; k < 5; k++)
                iw[k + 1] = ps->country->income_shares[k] + (pop->mixed_income ? 0.1 : 0);
        }
        iw[0] = 0;
        ps->income = (enum income_level)draw_weighted(r, iw, 6);
        if (ps->income == INCOME_UNSET)
            ps->income = INCOME_MIDDLE;
    }
    if (ps->personality < 0)
        ps->personality = (int)prng_below(r, P_COUNT);
    if (ps->money < 0) {
        double one[6] = { 0 }, mw[M_COUNT];
        one[ps->income] = 1;
        money_weights(one, mw);
        ps->money = (int)draw_weighted(r, mw, M_COUNT);
    }
    if (ps->tech < 0) {
        double tw[T_COUNT];
        tech_weights(ps->age, ps->age, tw);
        ps->tech = (int)draw_weighted(r, tw, T_COUNT);
    }
    if (ps->culture < 0) {
        double cw[C_COUNT];
        culture_weights(pop->culture, cw);
        ps->culture = (int)draw_weighted(r, cw, C_COUNT);
    }
}

/* ---- occupation, education, name, place -------------------------------------------------- */

/* Draws a job for the person: compatible with age, education and (unless relaxed) income. */
static const struct offline_occupation *draw_job(struct person *ps, const struct population *pop,
                                                 bool retired)
{
    const struct offline_data *d = ps->d;
    double *w = xcalloc(d->n_occupations ? d->n_occupations : 1, sizeof(double));
    const struct offline_occupation *found = NULL;
    for (int relax = 0; relax < 4 && !found; relax++) {
        double total = 0;
        for (size_t i = 0; i < d->n_occupations; i++) {
            const struct offline_occupation *o = &d->occupations[i];
            w[i] = 0;
            if (occupation_is_special(o))
                continue;
            int edu = education_index(o->education);
            int need_age = o->min_age > education_age(edu) ? o->min_age : education_age(edu);
            if (relax < 3 && need_age > (retired ? 50 : ps->age))
                continue;
            int slack = retired ? 1 + relax : relax;
            if (relax < 2 && ((int)ps->income < (int)o->income_low - slack ||
                              (int)ps->income > (int)o->income_high + slack))
                continue;
            w[i] = 1;
            if (strcasestr(o->title[EN], "homemaker"))
                w[i] = ps->fem ? 1.5 : 0.3;
            for (size_t k = 0; k < o->topics.n; k++) {
                const struct offline_topic *t = offline_topic_find(d, o->topics.items[k]);
                if (!t)
                    continue;
                size_t ti = (size_t)(t - d->topics);
                if (pop->topic_hits[ti] > 0)
                    w[i] += 1.5;
                for (size_t j = 0; j < ps->n_topics; j++)
                    if (ps->topics[j] == ti)
                        w[i] += 1;
            }
            total += w[i];
        }
        if (total > 0)
            found = &d->occupations[draw_weighted(ps->r, w, d->n_occupations)];
    }
    free(w);
    return found ? found : &d->occupations[prng_below(ps->r, d->n_occupations)];
}

/* Decides student, retiree or job, the occupation and the education level. */
static void decide_occupation(struct person *ps, const struct population *pop)
{
    struct prng *r = ps->r;
    int age = ps->age;
    double p_student = age < 18    ? 1
                       : age <= 20 ? 0.7
                       : age <= 22 ? 0.5
                       : age <= 25 ? 0.22
                       : age <= 29 ? 0.05
                                   : 0;
    double p_retired = age >= 70 ? 0.92 : age >= 65 ? 0.75 : age >= 60 ? 0.35 : 0;
    if (ps->picked_occ) {
        p_student = age < 18 ? 1 : 0;
        p_retired = 0;
    }
    if (ps->life == L_STUDENT && age <= 30)
        p_student = 1;
    if (ps->life == L_RETIRED && age >= 55)
        p_retired = 1;
    if (ps->life != L_STUDENT && age >= 18 && ps->life != L_NONE)
        p_student = 0; /* parents and retirees are not students */
    if (chance(r, p_student)) {
        ps->occ_kind = OCC_STUDENT;
        ps->education = age < 18 ? 0 : 1;
        return;
    }
    if (chance(r, p_retired)) {
        ps->occ_kind = OCC_RETIRED;
        ps->occ = draw_job(ps, pop, true);
    } else {
        ps->occ_kind = OCC_JOB;
        ps->occ = ps->picked_occ ? ps->picked_occ : draw_job(ps, pop, false);
    }
    ps->education = education_index(ps->occ->education);
    if (ps->education < 5 && ps->age >= education_age(ps->education + 1) + 2 && chance(r, 0.2))
        ps->education++;
    if (ps->education == 0 && ps->age < 50 && chance(r, 0.5))
        ps->education = 1;
}

/* A first name of the given gender from the person's country. */
static const char *draw_first(const struct person *ps, bool fem)
{
    const struct strlist *l = !ps->names ? NULL : fem ? &ps->names->female : &ps->names->male;
    return l && l->n ? l->items[prng_below(ps->r, l->n)] : (fem ? "Maria" : "João");
}

static const char *draw_last(const struct person *ps)
{
    const struct strlist *l = ps->names ? &ps->names->last : NULL;
    return l && l->n ? l->items[prng_below(ps->r, l->n)] : "Silva";
}

/*
 * A full name from the country's tables that is not in used: drawn (two
 * surnames now and then in Portuguese-speaking countries), then with a
 * middle initial, then numbered as a last resort. Sets ps->last_name.
 */
static char *unique_name(struct person *ps, const struct strlist *used)
{
    char name[512];
    const char *first = NULL, *last = NULL;
    for (int attempt = 0; attempt < 24; attempt++) {
        first = draw_first(ps, ps->fem);
        last = draw_last(ps);
        const char *second = NULL;
        if (ps->lang == PT && chance(ps->r, 0.35)) {
            second = draw_last(ps);
            if (strcmp(second, last) == 0)
                second = NULL;
        }
        if (second)
            snprintf(name, sizeof(name), "%s %s %s", first, last, second);
        else
            snprintf(name, sizeof(name), "%s %s", first, last);
        if (!strlist_has(used, name)) {
            ps->last_name = second ? second : last;
            return xstrdup(name);
        }
    }
    ps->last_name = last;
    char letters[] = "ABCDEFGHIJKLMNOPRSTUVWZ";
    size_t n_letters = strlen(letters);
    prng_shuffle(ps->r, letters, n_letters, 1);
    for (size_t i = 0; i < n_letters; i++) {
        snprintf(name, sizeof(name), "%s %c. %s", first, letters[i], last);
        if (!strlist_has(used, name))
            return xstrdup(name);
    }
    for (int n = 2;; n++) {
        snprintf(name, sizeof(name), "%s %s %d", first, last, n);
        if (!strlist_has(used, name))
            return xstrdup(name);
    }
}

/* A city's name in lang: the tables use English exonyms ("Lisbon"). */
static const char *city_label(const char *city, int lang)
{
    static const struct {
        const char *en, *pt;
    } names[] = { { "Lisbon", "Lisboa" },
                  { "Sao Paulo", "São Paulo" },
                  { "Brasilia", "Brasília" },
                  { "Belem", "Belém" } };
    for (size_t i = 0; lang == PT && i < ARRAY_SIZE(names); i++)
        if (strcmp(city, names[i].en) == 0)
            return names[i].pt;
    return city;
}

/* The city: bigger ones (listed first) for city people, smaller ones for the rest. */
static void decide_place(struct person *ps)
{
    const struct strlist *c = &ps->country->cities;
    if (!c->n) {
        ps->city = ps->other_city = ps->country->name;
        return;
    }
    size_t half = (c->n + 1) / 2;
    size_t i;
    if (ps->culture == C_URBAN)
        i = (size_t)prng_below(ps->r, half);
    else if (ps->culture == C_SMALL_TOWN || ps->culture == C_RURAL)
        i = c->n - 1 - (size_t)prng_below(ps->r, c->n - half > 0 ? c->n - half : 1);
    else
        i = (size_t)prng_below(ps->r, c->n);
    size_t j = c->n > 1 ? (i + 1 + (size_t)prng_below(ps->r, c->n - 1)) % c->n : i;
    ps->city = city_label(c->items[i], ps->lang);
    ps->other_city = city_label(c->items[j], ps->lang);
}

/* Appends the occupation title as a phrase's {occ} wants it ("a nurse", "enfermeira"). */
static void occ_phrase(const struct offline_occupation *o, int lang, bool fem, struct buf *out)
{
    offline_occupation_phrase(title_of(o, lang, fem), lang, out);
}

/*
 * Jobs whose employer (or day) the topics would get wrong, how often
 * people do them on their own account, and a sentence about the work.
 * Matched on the English title, ignoring case, as a prefix.
 */
struct title_org {
    const char *title;
    double self;
    struct bi org[3]; /* unused slots have en NULL; none at all: always self-employed */
    struct bi work;   /* en NULL: the first topic's sentence, if any */
};

static const struct title_org TITLE_ORGS[] = {
    { "Nurse",
      0,
      { { "a public hospital", "um hospital público" },
        { "a private hospital", "um hospital particular" },
        { "a community health centre", "uma unidade básica de saúde" } },
      { NULL, NULL } },
    { "Nursing assistant",
      0,
      { { "a public hospital", "um hospital público" }, { "a care home", "uma casa de repouso" } },
      { NULL, NULL } },
    { "Doctor",
      0.1,
      { { "a public hospital", "um hospital público" },
        { "a private clinic", "uma clínica particular" } },
      { NULL, NULL } },
    { "Pharmacist",
      0.1,
      { { "a neighbourhood pharmacy", "uma farmácia de bairro" },
        { "a pharmacy chain", "uma rede de farmácias" } },
      { "Knows the regulars' prescriptions by heart.",
        "Sabe de cor as receitas dos clientes fiéis." } },
    { "Physiotherapist",
      0.3,
      { { "a rehabilitation clinic", "uma clínica de reabilitação" },
        { "a sports club", "um clube esportivo" } },
      { NULL, NULL } },
    { "Psychologist",
      0.4,
      { { "a private clinic", "uma clínica particular" } },
      { "Sees most patients online in the evenings.",
        "Atende boa parte dos pacientes online à noite." } },
    { "Dentist",
      0.3,
      { { "a dental clinic", "uma clínica odontológica" } },
      { "Books patients back to back from eight to six.",
        "Atende pacientes em sequência das oito às seis." } },
    { "Paramedic",
      0,
      { { "the emergency ambulance service", "o serviço de ambulâncias de emergência" } },
      { "Works 12-hour shifts, nights included.",
        "Trabalha em plantões de 12 horas, inclusive à noite." } },
    { "Caregiver",
      0.3,
      { { "a care home", "uma casa de repouso" }, { "a family home", "uma casa de família" } },
      { "Looks after elderly people who can no longer live alone.",
        "Cuida de idosos que já não conseguem morar sozinhos." } },
    { "Community health worker",
      0,
      { { "a community health centre", "uma unidade básica de saúde" } },
      { "Visits families in the neighbourhood every day.",
        "Visita as famílias do bairro todos os dias." } },
    { "Nutritionist",
      0.3,
      { { "a private clinic", "uma clínica particular" },
        { "a public hospital", "um hospital público" } },
      { "Plans diets and follows patients month by month.",
        "Monta dietas e acompanha os pacientes mês a mês." } },
    { "Lab technician",
      0,
      { { "a clinical laboratory", "um laboratório de análises clínicas" } },
      { "Starts at dawn, when the samples arrive.",
        "Começa de madrugada, quando chegam as amostras." } },
    { "University lecturer",
      0,
      { { "a public university", "uma universidade pública" },
        { "a private university", "uma universidade particular" } },
      { "Splits the week between lectures, research and marking.",
        "Divide a semana entre aulas, pesquisa e correção de provas." } },
    { "Daycare worker",
      0,
      { { "a day-care centre", "uma creche" } },
      { "Spends the day with a room full of toddlers.",
        "Passa o dia com uma sala cheia de crianças pequenas." } },
    { "Music teacher",
      0.4,
      { { "a music school", "uma escola de música" }, { "a public school", "uma escola pública" } },
      { "Gives lessons from the afternoon into the evening.", "Dá aulas da tarde até a noite." } },
    { "Librarian",
      0,
      { { "a public library", "uma biblioteca pública" },
        { "a university library", "a biblioteca de uma universidade" } },
      { "Runs reading clubs on Saturdays.", "Organiza clubes de leitura aos sábados." } },
    { "Research scientist",
      0,
      { { "a research institute", "um instituto de pesquisa" },
        { "a public university", "uma universidade pública" } },
      { "Lives between the lab, grant applications and papers.",
        "Vive entre o laboratório, pedidos de financiamento e artigos." } },
    { "Translator",
      0.6,
      { { "a translation agency", "uma agência de tradução" } },
      { "Works from home with tight deadlines.", "Trabalha de casa com prazos apertados." } },
    { "Cybersecurity analyst",
      0,
      { { "a bank", "um banco" },
        { "a software company", "uma empresa de software" },
        { "a cybersecurity firm", "uma empresa de segurança digital" } },
      { "Is on call one week in four.", "Fica de sobreaviso uma semana por mês." } },
    { "Call center agent",
      0,
      { { "a call centre", "uma central de atendimento" } },
      { "Answers complaints on a headset all day, with targets to meet.",
        "Atende reclamações no fone o dia inteiro, com metas a cumprir." } },
    { "Project manager",
      0,
      { { "a software company", "uma empresa de software" },
        { "a construction company", "uma construtora" },
        { "a large multinational", "uma grande multinacional" } },
      { "Spends most of the day in meetings and chasing deadlines.",
        "Passa boa parte do dia em reuniões e correndo atrás de prazos." } },
    { "Police officer", 0, { { "the local police force", "a polícia" } }, { NULL, NULL } },
    { "Firefighter",
      0,
      { { "the fire brigade", "o corpo de bombeiros" } },
      { "Works 24-hour shifts followed by two days off.",
        "Trabalha em plantões de 24 horas com duas folgas." } },
    { "Security guard",
      0,
      { { "a private security company", "uma empresa de segurança privada" },
        { "a shopping mall", "um shopping center" } },
      { NULL, NULL } },
    { "Soldier",
      0,
      { { "the army", "o exército" } },
      { "Lives by the barracks' timetable.", "Vive no ritmo do quartel." } },
    { "Bus driver",
      0,
      { { "a city bus company", "uma empresa de ônibus urbano" } },
      { "Drives the same route through traffic every day.",
        "Faz a mesma linha no trânsito todos os dias." } },
    { "Truck driver",
      0.3,
      { { "a freight company", "uma transportadora" } },
      { "Spends days on the road, away from home.", "Passa dias na estrada, longe de casa." } },
    { "Taxi driver",
      0.5,
      { { "a taxi cooperative", "uma cooperativa de táxi" } },
      { "Works long shifts at the wheel.", "Faz turnos longos ao volante." } },
    { "Delivery driver",
      0.4,
      { { "a delivery company", "uma empresa de entregas" } },
      { "Rides all over the city with the phone on the handlebar.",
        "Roda a cidade inteira com o celular no guidão." } },
    { "Rideshare driver",
      1,
      { { NULL, NULL } },
      { "Drives through the apps ten hours a day.", "Roda pelos aplicativos dez horas por dia." } },
    { "Mechanical engineer",
      0,
      { { "a car manufacturer", "uma montadora" },
        { "an engineering firm", "uma empresa de engenharia" } },
      { NULL, NULL } },
    { "Factory worker",
      0,
      { { "a car parts factory", "uma fábrica de autopeças" },
        { "a food processing plant", "uma indústria de alimentos" },
        { "a textile factory", "uma fábrica têxtil" } },
      { "Works rotating shifts on the production line.",
        "Trabalha em turnos na linha de produção." } },
    { "Warehouse worker",
      0,
      { { "a distribution centre", "um centro de distribuição" } },
      { "Works nights, when the lorries arrive.",
        "Trabalha à noite, quando chegam os caminhões." } },
    { "Cashier",
      0,
      { { "a supermarket", "um supermercado" },
        { "a pharmacy chain", "uma rede de farmácias" },
        { "a department store", "uma loja de departamentos" } },
      { "Works weekends and most holidays.",
        "Trabalha nos fins de semana e na maioria dos feriados." } },
    { "Retail sales assistant",
      0,
      { { "a clothing store", "uma loja de roupas" },
        { "a department store", "uma loja de departamentos" },
        { "an electronics store", "uma loja de eletrônicos" } },
      { "Earns part of the pay in commission.", "Ganha parte do salário em comissão." } },
    { "Store manager",
      0,
      { { "a supermarket", "um supermercado" },
        { "a clothing store", "uma loja de roupas" },
        { "a pharmacy chain", "uma rede de farmácias" } },
      { "Answers for the team, the stock and the monthly targets.",
        "Responde pela equipe, pelo estoque e pelas metas do mês." } },
    { "Sales representative",
      0.2,
      { { "a pharmaceutical company", "um laboratório farmacêutico" },
        { "a food distributor", "uma distribuidora de alimentos" },
        { "an industrial supplier", "um fornecedor industrial" } },
      { "Spends the week visiting clients by car.",
        "Passa a semana visitando clientes de carro." } },
    { "Street vendor",
      1,
      { { NULL, NULL } },
      { "Sells on the same corner from early morning.", "Vende na mesma esquina desde cedo." } },
    { "Waiter",
      0,
      { { "a family restaurant", "um restaurante familiar" },
        { "a busy café", "uma cafeteria movimentada" },
        { "a hotel restaurant", "o restaurante de um hotel" } },
      { "Works evenings and weekends, living partly on tips.",
        "Trabalha à noite e nos fins de semana, vivendo em parte das gorjetas." } },
    { "Cook",
      0,
      { { "a family restaurant", "um restaurante familiar" },
        { "a company canteen", "um restaurante industrial" } },
      { NULL, NULL } },
    { "Chef",
      0.2,
      { { "a hotel restaurant", "o restaurante de um hotel" },
        { "a busy bistro", "um bistrô movimentado" } },
      { "Runs a kitchen of eight people.", "Comanda uma cozinha de oito pessoas." } },
    { "Baker",
      0.2,
      { { "a bakery", "uma padaria" }, { "a supermarket", "um supermercado" } },
      { "Starts before dawn.", "Começa antes do amanhecer." } },
    { "Barista", 0, { { "a coffee shop", "uma cafeteria" } }, { NULL, NULL } },
    { "Bartender",
      0,
      { { "a cocktail bar", "um bar de drinks" }, { "a hotel bar", "o bar de um hotel" } },
      { "Works late nights, mostly at weekends.",
        "Trabalha até tarde, principalmente nos fins de semana." } },
    { "Restaurant owner",
      1,
      { { NULL, NULL } },
      { "Runs a restaurant with twelve employees.",
        "Toca um restaurante com doze funcionários." } },
    { "Fashion designer",
      0.3,
      { { "a fashion brand", "uma marca de roupas" } },
      { "Works on two collections a year.", "Trabalha em duas coleções por ano." } },
    { "Tailor",
      0.5,
      { { "a small clothing factory", "uma confecção" } },
      { "Does alterations and made-to-measure work.", "Faz ajustes e roupas sob medida." } },
    { "Tattoo artist", 0.5, { { "a tattoo studio", "um estúdio de tatuagem" } }, { NULL, NULL } },
    { "Farmer",
      0,
      { { "a family farm", "um sítio da família" } },
      { "Grows vegetables and keeps a few animals.", "Planta hortaliças e cria alguns animais." } },
    { "Farm worker",
      0,
      { { "a large farm", "uma fazenda" } },
      { "Works from sunrise, following the harvests.",
        "Trabalha desde o nascer do sol, conforme as safras." } },
    { "Fisherman",
      0.5,
      { { "a fishing cooperative", "uma colônia de pescadores" } },
      { "Goes out to sea before dawn.", "Sai para o mar antes do amanhecer." } },
    { "Gardener",
      0.5,
      { { "a landscaping company", "uma empresa de paisagismo" } },
      { NULL, NULL } },
    { "Florist",
      0.3,
      { { "a flower shop", "uma floricultura" } },
      { "Has the busiest days on Mother's Day and Valentine's Day.",
        "Tem os dias mais cheios no Dia das Mães e no Dia dos Namorados." } },
    { "Waste picker",
      0.3,
      { { "a recycling cooperative", "uma cooperativa de reciclagem" } },
      { "Collects recyclables on the streets with a handcart.",
        "Recolhe recicláveis pelas ruas com uma carroça." } },
    { "Veterinarian",
      0.2,
      { { "a veterinary clinic", "uma clínica veterinária" } },
      { NULL, NULL } },
    { "Dog groomer", 0.3, { { "a pet shop", "um pet shop" } }, { NULL, NULL } },
    { "Dog walker",
      1,
      { { NULL, NULL } },
      { "Walks up to eight dogs at a time.", "Passeia com até oito cachorros de uma vez." } },
    { "Lawyer",
      0.2,
      { { "a law firm", "um escritório de advocacia" },
        { "a large company's legal department", "o jurídico de uma grande empresa" } },
      { "Lives by court deadlines.", "Vive de prazos processuais." } },
    { "Accountant",
      0.3,
      { { "an accounting firm", "um escritório de contabilidade" } },
      { NULL, NULL } },
    { "Bank clerk",
      0,
      { { "a bank branch", "uma agência bancária" } },
      { "Deals with queues, loans and complaints.",
        "Lida com filas, empréstimos e reclamações." } },
    { "Financial advisor",
      0.3,
      { { "a bank branch", "uma agência bancária" },
        { "an investment firm", "uma corretora de investimentos" } },
      { NULL, NULL } },
    { "Insurance agent",
      0.4,
      { { "an insurance company", "uma seguradora" } },
      { "Lives on commission from car and life policies.",
        "Vive de comissão de seguros de carro e de vida." } },
    { "Real estate agent",
      0.3,
      { { "a real estate agency", "uma imobiliária" } },
      { "Shows flats at weekends.", "Mostra apartamentos nos fins de semana." } },
    { "Civil servant",
      0,
      { { "the city council", "a prefeitura" },
        { "a state agency", "um órgão estadual" },
        { "the tax office", "a receita estadual" } },
      { "Has a stable job and a lot of paperwork.", "Tem emprego estável e muita papelada." } },
    { "Marketing manager",
      0,
      { { "a consumer goods company", "uma empresa de bens de consumo" },
        { "an advertising agency", "uma agência de publicidade" } },
      { NULL, NULL } },
    { "Journalist",
      0.2,
      { { "a newspaper", "um jornal" },
        { "a news website", "um portal de notícias" },
        { "a TV station", "uma emissora de TV" } },
      { "Works odd hours, chasing the news.", "Trabalha em horários malucos, atrás da notícia." } },
    { "Freelance writer", 1, { { NULL, NULL } }, { NULL, NULL } },
    { "Interior designer",
      0.4,
      { { "an interior design studio", "um escritório de design de interiores" } },
      { NULL, NULL } },
    { "Photographer",
      0.6,
      { { "a photo studio", "um estúdio de fotografia" } },
      { "Shoots weddings and events at weekends.",
        "Fotografa casamentos e eventos nos fins de semana." } },
    { "Actor",
      0.3,
      { { "a theatre company", "uma companhia de teatro" } },
      { "Goes to auditions between jobs.", "Faz testes entre um trabalho e outro." } },
    { "Dancer",
      0.3,
      { { "a dance company", "uma companhia de dança" } },
      { "Rehearses every afternoon.", "Ensaia todas as tardes." } },
    { "Architect",
      0.3,
      { { "an architecture firm", "um escritório de arquitetura" } },
      { NULL, NULL } },
    { "Civil engineer",
      0,
      { { "a construction company", "uma construtora" },
        { "an engineering firm", "uma empresa de engenharia" } },
      { NULL, NULL } },
    { "Environmental scientist",
      0,
      { { "an environmental consultancy", "uma consultoria ambiental" },
        { "an environmental NGO", "uma ONG ambiental" } },
      { NULL, NULL } },
    { "HR manager",
      0,
      { { "the HR department of a large company", "o RH de uma grande empresa" } },
      { "Spends most of the day in interviews and meetings.",
        "Passa boa parte do dia em entrevistas e reuniões." } },
    { "Administrative assistant",
      0,
      { { "a mid-sized company", "uma empresa de médio porte" },
        { "a law firm", "um escritório de advocacia" },
        { "a public agency", "um órgão público" } },
      { NULL, NULL } },
    { "Receptionist",
      0,
      { { "a dental clinic", "uma clínica odontológica" },
        { "a hotel", "um hotel" },
        { "an office building", "um prédio comercial" } },
      { NULL, NULL } },
    { "Logistics coordinator",
      0,
      { { "a logistics company", "uma empresa de logística" } },
      { NULL, NULL } },
    { "Flight attendant",
      0,
      { { "an airline", "uma companhia aérea" } },
      { "Spends several nights a month away from home.",
        "Passa várias noites por mês longe de casa." } },
    { "Airline pilot",
      0,
      { { "an airline", "uma companhia aérea" } },
      { "Spends several nights a month away from home.",
        "Passa várias noites por mês longe de casa." } },
    { "Yoga instructor", 0.5, { { "a yoga studio", "um estúdio de ioga" } }, { NULL, NULL } },
    { "Personal trainer", 0.4, { { "a gym", "uma academia" } }, { NULL, NULL } },
    { "Professional athlete",
      0,
      { { "a professional club", "um clube profissional" } },
      { NULL, NULL } },
    { "Social worker",
      0,
      { { "a social assistance centre", "um centro de assistência social" } },
      { "Follows dozens of families in hard situations.",
        "Acompanha dezenas de famílias em situação difícil." } },
    { "Small business owner",
      1,
      { { NULL, NULL } },
      { "Runs a small shop with three employees.",
        "Toca uma pequena loja com três funcionários." } },
    { "Startup founder",
      0,
      { { "a start-up of their own", "uma startup própria" } },
      { "Works long hours chasing the next round of investment.",
        "Trabalha muitas horas atrás da próxima rodada de investimento." } },
    { "Housekeeper", 0, { { "a family home", "uma casa de família" } }, { NULL, NULL } },
    { "Cleaner", 0.3, { { "a cleaning company", "uma empresa de limpeza" } }, { NULL, NULL } },
    { "Electrician", 0.5, { { "a construction company", "uma construtora" } }, { NULL, NULL } },
    { "Plumber",
      0.6,
      { { "a building maintenance company", "uma empresa de manutenção predial" } },
      { NULL, NULL } },
    { "Carpenter", 0.5, { { "a furniture workshop", "uma marcenaria" } }, { NULL, NULL } },
    { "Construction worker",
      0.2,
      { { "a construction company", "uma construtora" } },
      { NULL, NULL } },
    { "Content creator",
      0.8,
      { { "a digital marketing agency", "uma agência de marketing digital" } },
      { "Posts every day and lives on sponsorships.", "Posta todo dia e vive de publicidade." } },
    { "Hairdresser", 0.3, { { "a beauty salon", "um salão de beleza" } }, { NULL, NULL } },
    { "Manicurist", 0.5, { { "a beauty salon", "um salão de beleza" } }, { NULL, NULL } },
    { "Makeup artist", 0.6, { { "a beauty salon", "um salão de beleza" } }, { NULL, NULL } },
    { "Musician",
      0.5,
      { { "a bar with live music", "um bar com música ao vivo" } },
      { NULL, NULL } },
};

/* The TITLE_ORGS entry of o, or -1. */
static int title_org(const struct offline_occupation *o)
{
    for (size_t i = 0; i < ARRAY_SIZE(TITLE_ORGS); i++)
        if (strncasecmp(o->title[EN], TITLE_ORGS[i].title, strlen(TITLE_ORGS[i].title)) == 0)
            return (int)i;
    return -1;
}

/*
 * An organisation phrase with its article, for a job of occupation o:
 * one of its first topic's (the work's own; the others are what it
 * touches), now and then a generic employer for office work.
 */
static struct bi draw_org(struct person *ps, const struct offline_occupation *o)
{
    int k = o ? title_org(o) : -1;
    if (k >= 0 && TITLE_ORGS[k].org[0].en) {
        size_t n = 1;
        while (n < ARRAY_SIZE(TITLE_ORGS[k].org) && TITLE_ORGS[k].org[n].en)
            n++;
        return TITLE_ORGS[k].org[prng_below(ps->r, n)];
    }
    const char *topic = o && o->topics.n ? o->topics.items[0] : "";
    bool office = strcmp(topic, "career") == 0 || strcmp(topic, "money") == 0 ||
                  strcmp(topic, "technology") == 0 || strcmp(topic, "social_media") == 0;
    const struct bi *b = TOPIC_DRAW(TOPIC_ORGS, topic, ps->r);
    if (b && !(office && chance(ps->r, 0.3)))
        return *b;
    return GENERIC_ORGS[prng_below(ps->r, ARRAY_SIZE(GENERIC_ORGS))];
}

/* Appends "Public hospital" from "a public hospital" / "um hospital público". */
static void add_org_name(struct buf *out, const char *phrase)
{
    static const char *const articles[] = { "a ", "an ", "the ", "um ", "uma ", "o " };
    for (size_t i = 0; i < ARRAY_SIZE(articles); i++) {
        size_t n = strlen(articles[i]);
        if (strncmp(phrase, articles[i], n) == 0) {
            phrase += n;
            break;
        }
    }
    add_capitalized(out, phrase);
}

/* Appends "at a public hospital" / "em um hospital público" ("no RH de ...": Portuguese contracts).
 */
static void add_at(struct buf *out, const char *org, int lang)
{
    if (lang == EN)
        buf_addf(out, "at %s", org);
    else if (strncmp(org, "o ", 2) == 0)
        buf_addf(out, "no %s", org + 2);
    else if (strncmp(org, "a ", 2) == 0)
        buf_addf(out, "na %s", org + 2);
    else
        buf_addf(out, "em %s", org);
}

/*
 * Title, organisation and description (student, retiree, homemaker, job
 * seeker, self-employed or employed, in the person's language), then the
 * education.
 */
static void build_occupation(struct person *ps)
{
    struct persona *p = ps->p;
    struct prng *r = ps->r;
    int lang = ps->lang;
    struct buf title, org, desc, phrase, at;
    buf_init(&title, TEXT_MAX);
    buf_init(&org, TEXT_MAX);
    buf_init(&desc, TEXT_MAX);
    buf_init(&phrase, TEXT_MAX);
    buf_init(&at, TEXT_MAX);
    struct say_vars v = { .city = ps->city };

    if (ps->occ_kind == OCC_STUDENT) {
        const struct bi *course = NULL;
        for (size_t i = 0; i < ps->n_topics && !course; i++)
            course = TOPIC_DRAW(TOPIC_COURSES, ps->d->topics[ps->topics[i]].name, r);
        static const struct bi any_course[] = { { "law", "direito" },
                                                { "engineering", "engenharia" },
                                                { "psychology", "psicologia" },
                                                { "economics", "economia" } };
        if (!course)
            course = &any_course[prng_below(r, ARRAY_SIZE(any_course))];
        v.course = tr(*course, lang);
        static const struct bi schools[] = { { "a public school", "uma escola pública" },
                                             { "a private school", "uma escola particular" } };
        static const struct bi unis[] = {
            { "a public university", "uma universidade pública" },
            { "a private university", "uma faculdade particular" },
            { "a technical college", "uma faculdade de tecnologia" },
        };
        bool school = ps->age < 18;
        struct bi where = school ? schools[prng_below(r, ARRAY_SIZE(schools))]
                                 : unis[prng_below(r, ARRAY_SIZE(unis))];
        add_at(&at, tr(where, lang), lang);
        v.org = at.data;
        add_org_name(&org, tr(where, lang));
        buf_addch(&org, ' ');
        add_place(&org, lang == PT ? "em" : "in", ps->city, lang);
        if (school) {
            v.n = clampi(ps->age - 14, 1, 3);
            buf_adds(&title, lang == PT ? "Estudante do ensino médio" : "High school student");
            say(ps, &desc,
                lang == PT ? "Cursa o {n}º ano do ensino médio {org} {de city}."
                           : "In year {n} of high school {org} in {city}.",
                &v);
        } else {
            v.n = clampi(ps->age - 17, 1, 5);
            buf_adds(&title, lang == PT
                                 ? (ps->fem ? "Estudante universitária" : "Estudante universitário")
                                 : "University student");
            say(ps, &desc,
                lang == PT ? "Estuda {course} {org} {de city}, no {n}º ano."
                           : "Studies {course} {org} in {city}, year {n}.",
                &v);
            if (chance(r, 0.4)) {
                static const struct bi side[] = {
                    { " Works part-time at a café.", " Trabalha meio período em uma cafeteria." },
                    { " Does a paid internship in the afternoons.",
                      " Faz estágio remunerado à tarde." },
                    { " Gives private lessons to pay the bills.",
                      " Dá aulas particulares para pagar as contas." },
                    { " Works weekends in a shop.", " Trabalha nos fins de semana em uma loja." },
                };
                buf_adds(&desc, tr(side[prng_below(r, ARRAY_SIZE(side))], lang));
            }
        }
    } else {
        const struct offline_occupation *o = ps->occ;
        const char *t_en = o->title[EN];
        bool home = strcasestr(t_en, "homemaker") != NULL;
        bool jobless = strcasestr(t_en, "job seeker") != NULL || strcasestr(t_en, "unemployed");
        int k = title_org(o);
        double p_self = k >= 0 ? TITLE_ORGS[k].self : 0.05;
        bool self_only = k >= 0 && !TITLE_ORGS[k].org[0].en;
        bool self = ps->occ_kind == OCC_JOB && !home && !jobless && chance(r, p_self);
        ps->self_employed = self;
        struct bi where = draw_org(ps, o);
        add_at(&at, tr(where, lang), lang);
        v.org = at.data;
        occ_phrase(o, lang, ps->fem, &phrase);
        v.occ = phrase.data;
        int start =
            o->min_age > education_age(ps->education) ? o->min_age : education_age(ps->education);
        int career = (ps->occ_kind == OCC_RETIRED ? 62 : ps->age) - start;
        v.n = draw_int(r, career > 4 ? career / 3 : 1, career > 1 ? career : 1);
        if (ps->occ_kind == OCC_RETIRED) {
            struct buf former;
            buf_init(&former, TEXT_MAX);
            offline_occupation_phrase(title_of(o, lang, ps->fem), lang, &former);
            if (lang == PT) {
                add_capitalized(&title, former.data);
                buf_adds(&title, ps->fem ? " aposentada" : " aposentado");
                buf_adds(&org, "Antes: ");
                add_org_name(&org, tr(where, lang));
            } else {
                const char *bare = former.data;
                if (strncmp(bare, "an ", 3) == 0)
                    bare += 3;
                else if (strncmp(bare, "a ", 2) == 0)
                    bare += 2;
                buf_addf(&title, "Retired %s", bare);
                buf_addf(&org, "Formerly %s", at.data);
            }
            buf_release(&former);
            if (self_only) {
                buf_reset(&org);
                say(ps, &org, lang == PT ? "Antes: autônom{o|a}" : "Formerly self-employed", &v);
            }
            buf_addch(&org, ' ');
            add_place(&org, lang == PT ? "em" : "in", ps->city, lang);
            say(ps, &desc,
                self_only
                    ? (lang == PT ? "Aposentou-se depois de {n} anos como {occ} {em city}."
                                  : "Retired after {n} years as {occ} in {city}.")
                    : (lang == PT ? "Aposentou-se depois de {n} anos como {occ} {org} {de city}."
                                  : "Retired after {n} years as {occ} {org} in {city}."),
                &v);
        } else if (home || jobless) {
            buf_adds(&title, title_of(o, lang, ps->fem));
            v.n = draw_int(r, 2, 14);
            if (home) {
                buf_adds(&org, lang == PT ? "Em casa" : "At home");
                say(ps, &desc,
                    lang == PT
                        ? "Cuida da casa e da família {em city}; a renda vem do trabalho do parceiro e de bicos."
                        : "Runs the home and the family in {city}; the household lives on the partner's pay and odd jobs.",
                    &v);
            } else {
                buf_adds(&org, lang == PT ? "Em busca de emprego" : "Looking for work");
                say(ps, &desc,
                    lang == PT
                        ? "Está sem emprego fixo há {n} meses e procura trabalho {em city}, fazendo bicos enquanto isso."
                        : "Out of steady work for {n} months and looking for a job in {city}, doing odd jobs meanwhile.",
                    &v);
            }
        } else {
            buf_adds(&title, title_of(o, lang, ps->fem));
            if (self && lang == PT) {
                buf_adds(&org, ps->fem ? "Autônoma" : "Autônomo");
                buf_addf(&desc, "%s, autônom%s, trabalha ", title.data, ps->fem ? "a" : "o");
                add_place(&desc, "em", ps->city, lang);
                buf_adds(&desc, " e região.");
            } else if (self) {
                buf_adds(&org, "Self-employed");
                buf_addf(&desc, "%s, self-employed, working in and around %s.", title.data,
                         ps->city);
            } else {
                add_org_name(&org, tr(where, lang));
                buf_addch(&org, ' ');
                add_place(&org, lang == PT ? "em" : "in", ps->city, lang);
                buf_adds(&desc, title.data);
                say(ps, &desc, lang == PT ? " {org} {de city}." : " {org} in {city}.", &v);
            }
            const struct bi *work = NULL;
            if (k >= 0 && TITLE_ORGS[k].work.en)
                work = &TITLE_ORGS[k].work;
            else if (k < 0 && !self && o->topics.n)
                work = TOPIC_DRAW(TOPIC_WORK, o->topics.items[0], r);
            if (work)
                buf_addf(&desc, " %s", tr(*work, lang));
            say(ps, &desc,
                lang == PT ? (v.n == 1 ? " Está na área há {n} ano." : " Está na área há {n} anos.")
                           : (v.n == 1 ? " Has been doing this for {n} year."
                                       : " Has been doing this for {n} years."),
                &v);
        }
    }
    p->occupation_title = buf_detach(&title, NULL);
    p->occupation_organization = buf_detach(&org, NULL);
    p->occupation_description = buf_detach(&desc, NULL);
    buf_release(&title);
    buf_release(&org);
    buf_release(&desc);
    buf_release(&phrase);
    buf_release(&at);

    /* education */
    struct buf e;
    buf_init(&e, TEXT_MAX);
    if (ps->occ_kind == OCC_STUDENT)
        buf_adds(&e, ps->age < 18 ? (lang == PT ? "Cursando o ensino médio" : "In high school")
                                  : (lang == PT ? "Ensino superior em andamento"
                                                : "Undergraduate, in progress"));
    else
        buf_adds(&e, tr(EDUCATION[ps->education], lang));
    p->education = buf_detach(&e, NULL);
    buf_release(&e);
}

/* ---- personality and preferences --------------------------------------------------------- */

/* The Big Five from the personality type. */
static void build_big5(struct person *ps)
{
    const char *levels = PERSONALITIES[ps->personality].levels;
    for (int dim = 0; dim < BIG5_COUNT_; dim++) {
        /* the type's poles stay; its middles lean either way now and then */
        int l = levels[dim] == 'H' ? 3 : levels[dim] == 'L' ? 1 : 2;
        if (l == 2 && chance(ps->r, 0.35))
            l = chance(ps->r, 0.5) ? 3 : 1;
        ps->p->big5[dim] = l == 3 ? BIG5_HIGH : l == 1 ? BIG5_LOW : BIG5_MEDIUM;
    }
}

/* "curioso" -> "curiosa", "na dele" -> "na dela": the feminine of each word of s. */
static void feminine_of(const char *s, char *out, size_t n)
{
    snprintf(out, n, "%s", s);
    size_t len = strlen(out);
    for (size_t i = 0; i < len; i++) {
        bool word_end = out[i + 1] == ' ' || out[i + 1] == '\0';
        if (!word_end)
            continue;
        if (out[i] == 'o')
            out[i] = 'a';
        else if (out[i] == 'e' && i >= 3 && strncmp(out + i - 3, "dele", 4) == 0)
            out[i] = 'a';
    }
}

/* Whether the table has word w in lang (exactly as stored). */
static bool trait_exists(const struct offline_data *d, const char *w, int lang)
{
    for (size_t i = 0; i < d->n_traits; i++)
        if (d->traits[i].lang == lang && strcmp(d->traits[i].word, w) == 0)
            return true;
    return false;
}

/*
 * A trait word of the table as the person would be described by it, into
 * out; false when it does not suit them. English words stand as they are.
 * Portuguese keywords ending in '*' are completed for the gender
 * ("curios*" -> curioso / curiosa, "responsáve*" -> responsável,
 * "inovador*" -> inovador / inovadora); of a masculine and feminine pair
 * ("frio", "fria") only the person's own is taken; plurals are skipped.
 */
static bool trait_render(const struct person *ps, const char *word, char *out, size_t n)
{
    size_t len = strlen(word);
    if (ps->lang != PT || len < 2) {
        snprintf(out, n, "%s", word);
        return len > 0 && !strchr(word, '*'); /* "procrastinat*" is no word to show */
    }
    if (word[len - 1] != '*') {
        if (!strchr(word, ' ') && word[len - 1] == 's' && len > 3 &&
            (word[len - 2] == 'i' || word[len - 2] == 'e'))
            return false; /* "gentis", "pontuais": a plural */
        char f[128];
        feminine_of(word, f, sizeof(f));
        bool masculine = strcmp(f, word) != 0 && trait_exists(ps->d, f, PT);
        bool feminine = false;
        for (size_t i = 0; i < ps->d->n_traits && !feminine; i++) {
            const struct offline_trait *t = &ps->d->traits[i];
            if (t->lang != PT || strcmp(t->word, word) == 0)
                continue;
            feminine_of(t->word, f, sizeof(f));
            feminine = strcmp(f, word) == 0;
        }
        if ((masculine && ps->fem) || (feminine && !ps->fem))
            return false;
        snprintf(out, n, "%s", word);
        return true;
    }
    static const struct {
        const char *stem, *m, *f;
    } irregular[] = {
        { "pacient", "paciente", "paciente" },
        { "impacient", "impaciente", "impaciente" },
        { "ranzinz", "ranzinza", "ranzinza" },
        { "mandon", "mandão", "mandona" },
        { "brincalh", "brincalhão", "brincalhona" },
        { "espontâne", "espontâneo", "espontânea" },
        { "procrastina", "procrastinador", "procrastinadora" },
        { "antissocia", "antissocial", "antissocial" },
    };
    char stem[128];
    snprintf(stem, sizeof(stem), "%.*s", (int)(len - 1), word);
    size_t sl = len - 1;
    for (size_t i = 0; i < ARRAY_SIZE(irregular); i++) {
        if (strcmp(stem, irregular[i].stem) == 0) {
            snprintf(out, n, "%s", ps->fem ? irregular[i].f : irregular[i].m);
            return true;
        }
    }
    char last = stem[sl - 1];
    if (sl >= 3 && last == 'e' && stem[sl - 2] == 'v' && (unsigned char)stem[sl - 3] >= 0x80)
        snprintf(out, n, "%sl", stem); /* responsáve -> responsável */
    else if (last == 'e' || last == 'a' || last == 'l' || last == 'z')
        snprintf(out, n, "%s", stem);
    else if (sl >= 2 && last == 'r' && stem[sl - 2] == 'o')
        snprintf(out, n, "%s%s", stem, ps->fem ? "a" : "");
    else if (sl >= 2 && last == 's' && stem[sl - 2] == 'e')
        snprintf(out, n, "%s%s", stem, ps->fem ? "a" : ""); /* hypothetical "-ês" stems */
    else
        snprintf(out, n, "%s%s", stem, ps->fem ? "a" : "o");
    return true;
}

/*
 * 3 to 6 trait words in the person's language for their Big Five: one
 * per pole that is high or low, then more of the same poles.
 */
static void build_traits(struct person *ps)
{
    const struct offline_data *d = ps->d;
    size_t *cand = xcalloc(d->n_traits ? d->n_traits : 1, sizeof(*cand));
    size_t n_cand = 0;
    for (size_t i = 0; i < d->n_traits; i++) {
        const struct offline_trait *t = &d->traits[i];
        enum big5_level l = ps->p->big5[t->dimension];
        if (t->lang == ps->lang &&
            ((l == BIG5_HIGH && t->sign > 0) || (l == BIG5_LOW && t->sign < 0)))
            cand[n_cand++] = i;
    }
    prng_shuffle(ps->r, cand, n_cand, sizeof(*cand));
    size_t want = 3 + (size_t)prng_below(ps->r, 4);
    bool dim_used[BIG5_COUNT_] = { false };
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n_cand && ps->p->traits.n < want; k++) {
            const struct offline_trait *t = &d->traits[cand[k]];
            if (pass == 0 && dim_used[t->dimension])
                continue;
            char word[160];
            if (!trait_render(ps, t->word, word, sizeof(word)) || strlist_has(&ps->p->traits, word))
                continue;
            strlist_add(&ps->p->traits, word);
            dim_used[t->dimension] = true;
        }
    }
    free(cand);
    /* a person of medium everything still has a few words: the closest poles */
    static const struct bi fallback[] = { { "even-tempered", "equilibrad{o|a}" },
                                          { "practical", "prátic{o|a}" },
                                          { "friendly", "simpátic{o|a}" } };
    for (size_t i = 0; ps->p->traits.n < 3 && i < ARRAY_SIZE(fallback); i++)
        add_said(ps, &ps->p->traits, tr(fallback[i], ps->lang), NULL);
}

/* The weight of topic t as an interest of this person. */
static double topic_weight(const struct person *ps, const struct population *pop, size_t t)
{
    const char *name = ps->d->topics[t].name;
    bool parent = (ps->n_kids > 0 && ps->youngest_kid < 18) || ps->life == L_PARENT_YOUNG ||
                  ps->life == L_PARENT_TEEN;
    double w = 1 + (pop->topic_hits[t] > 0 ? 3 : 0);
    if (ps->occ) {
        for (size_t k = 0; k < ps->occ->topics.n; k++)
            if (strcmp(ps->occ->topics.items[k], name) == 0)
                w += 1.5;
    }
    if (strcmp(name, "parenting") == 0)
        w *= parent ? 4 : 0.1;
    else if (strcmp(name, "family") == 0 && parent)
        w *= 1.5;
    else if (strcmp(name, "gaming") == 0 || strcmp(name, "social_media") == 0)
        w *= ps->age < 35 ? 1.6 : ps->age > 60 ? 0.3 : 1;
    else if (strcmp(name, "career") == 0)
        w *= ps->occ_kind == OCC_RETIRED ? 0.1 : 1;
    else if (strcmp(name, "fashion") == 0 || strcmp(name, "beauty") == 0)
        w *= ps->fem ? 1.4 : 0.6;
    else if (strcmp(name, "automotive") == 0)
        w *= ps->fem ? 0.6 : 1.3;
    return w;
}

/* Items of topic's interests in the person's language, shuffled into *out (n returned). */
static size_t topic_items(const struct person *ps, size_t t, const char ***out)
{
    const struct offline_interests *it = offline_interests_find(ps->d, ps->d->topics[t].name);
    if (!it || !it->items[ps->lang].n) {
        *out = NULL;
        return 0;
    }
    size_t n = 0;
    const char **items = xcalloc(it->items[ps->lang].n, sizeof(*items));
    for (size_t i = 0; i < it->items[ps->lang].n; i++) {
        const char *item = it->items[ps->lang].items[i];
        if (!ps->fem && (strcasestr(item, "makeup") || strcasestr(item, "maquiagem") ||
                         strcasestr(item, "nail") || strcasestr(item, "unha")))
            continue;
        items[n++] = item;
    }
    prng_shuffle(ps->r, items, n, sizeof(*items));
    *out = items;
    return n;
}

/*
 * Interests (3-6) from 2-3 topics - the picked ones first - likes (3-6)
 * from the same topics and the person's attitudes, dislikes (3-5) from
 * topics far from theirs and from their attitudes and temperament.
 */
static void build_preferences(struct person *ps, const struct population *pop)
{
    struct persona *p = ps->p;
    const struct offline_data *d = ps->d;
    size_t n_topics = d->n_topics;
    double *w = xcalloc(n_topics ? n_topics : 1, sizeof(double));
    size_t want_topics = 2 + (size_t)prng_below(ps->r, 2);
    for (size_t t = 0; t < n_topics; t++)
        w[t] = topic_weight(ps, pop, t);
    while (ps->n_topics < want_topics && ps->n_topics < n_topics) {
        for (size_t i = 0; i < ps->n_topics; i++)
            w[ps->topics[i]] = 0;
        add_topic(ps, draw_weighted(ps->r, w, n_topics));
    }

    for (size_t i = 0; i < ps->free_interests.n; i++)
        strlist_add(&p->interests, ps->free_interests.items[i]);
    size_t want_interests = 3 + (size_t)prng_below(ps->r, 4);
    const char **items[ARRAY_SIZE(ps->topics)] = { NULL };
    size_t n_items[ARRAY_SIZE(ps->topics)] = { 0 }, used[ARRAY_SIZE(ps->topics)] = { 0 };
    for (size_t i = 0; i < ps->n_topics; i++)
        n_items[i] = topic_items(ps, ps->topics[i], &items[i]);
    /* round robin over the topics, the first (picked) one twice on the first round */
    for (size_t round = 0; p->interests.n < want_interests && round < 8; round++) {
        for (size_t i = 0; i < ps->n_topics && p->interests.n < want_interests; i++) {
            for (int twice = 0; twice < (round == 0 && i == 0 ? 2 : 1); twice++) {
                if (used[i] < n_items[i] && !strlist_has(&p->interests, items[i][used[i]]))
                    strlist_add(&p->interests, items[i][used[i]]);
                used[i]++;
            }
        }
    }

    static const struct bi any_interest[] = { { "reading", "leitura" },
                                              { "long walks", "caminhadas" },
                                              { "cooking at home", "cozinhar em casa" } };
    for (size_t i = 0; p->interests.n < 3 && i < ARRAY_SIZE(any_interest); i++)
        add_said(ps, &p->interests, tr(any_interest[i], ps->lang), NULL);

    size_t want_likes = 3 + (size_t)prng_below(ps->r, 4);
    for (size_t i = 0; i < ps->n_topics && p->likes.n + 2 < want_likes; i++) {
        while (used[i] < n_items[i] && strlist_has(&p->interests, items[i][used[i]]))
            used[i]++;
        if (used[i] < n_items[i])
            strlist_add(&p->likes, items[i][used[i]++]);
    }
    add_said(ps, &p->likes, tr(MONEY_LIKES[ps->money], ps->lang), NULL);
    add_said(ps, &p->likes, tr(TECH_LIKES[ps->tech], ps->lang), NULL);
    if (p->likes.n < 3) {
        static const struct bi more[] = {
            { "quiet Sunday mornings", "domingos de manhã tranquilos" },
            { "long talks with friends", "conversas longas com amigos" },
            { "a good coffee", "um bom café" }
        };
        for (size_t i = 0; p->likes.n < 3 && i < ARRAY_SIZE(more); i++)
            add_said(ps, &p->likes, tr(more[i], ps->lang), NULL);
    }
    for (size_t i = 0; i < ps->n_topics; i++)
        free(items[i]);

    /* dislikes: things of the topics least like the person's */
    size_t want_dislikes = 3 + (size_t)prng_below(ps->r, 3);
    for (size_t t = 0; t < n_topics; t++)
        w[t] = 1.0 / topic_weight(ps, pop, t);
    for (size_t i = 0; i < ps->n_topics; i++)
        w[ps->topics[i]] = 0;
    size_t from_topics = want_dislikes - 2;
    for (size_t k = 0; k < from_topics; k++) {
        size_t t = draw_weighted(ps->r, w, n_topics);
        w[t] = 0;
        const char **dis = NULL;
        size_t n_dis = topic_items(ps, t, &dis);
        if (n_dis && !strlist_has(&p->interests, dis[0]) && !strlist_has(&p->likes, dis[0]))
            strlist_add(&p->dislikes, dis[0]);
        free(dis);
    }
    add_said(ps, &p->dislikes, tr(PERSONALITY_DISLIKES[ps->personality], ps->lang), NULL);
    add_said(ps, &p->dislikes,
             tr(chance(ps->r, 0.5) ? MONEY_DISLIKES[ps->money] : TECH_DISLIKES[ps->tech], ps->lang),
             NULL);
    if (p->dislikes.n < 3)
        add_said(ps, &p->dislikes, tr(TECH_DISLIKES[ps->tech], ps->lang), NULL);
    if (p->dislikes.n < 3)
        add_said(ps, &p->dislikes, tr(MONEY_DISLIKES[ps->money], ps->lang), NULL);
    free(w);
}

/* ---- family, values, beliefs, goals, skills, habits -------------------------------------- */

/* Partner and children, from the life stage or the age. */
static void decide_family(struct person *ps)
{
    struct prng *r = ps->r;
    int age = ps->age;
    double p_partner = age < 22 ? 0.12 : age < 28 ? 0.45 : age < 65 ? 0.68 : 0.55;
    if (ps->occ_kind == OCC_STUDENT)
        p_partner *= 0.4;
    ps->has_partner = age >= 18 && chance(r, p_partner);
    int lo = -1, hi = -1;
    int oldest_possible = age - 19;
    switch (ps->life) {
    case L_PARENT_YOUNG:
        lo = 0;
        hi = 10;
        break;
    case L_PARENT_TEEN:
        lo = 11;
        hi = 17;
        break;
    case L_PARENT_ADULT:
        lo = 18;
        hi = 40;
        break;
    default:
        if (age >= 27 && ps->life != L_STUDENT && chance(r, age < 35 ? 0.35 : 0.62)) {
            lo = age > 45 ? age - 45 : 0; /* the youngest born before the parent turned 45 */
            hi = age - 20;
        }
        break;
    }
    if (lo < 0 || oldest_possible < 0)
        return;
    hi = hi < oldest_possible ? hi : oldest_possible;
    lo = lo < hi ? lo : hi;
    ps->n_kids = 1 + (int)prng_below(r, 3);
    ps->youngest_kid = draw_int(r, lo, hi);
}

/* 2 to 4 values, weighted by what the person is like. */
static void build_values(struct person *ps, int *chosen, size_t *n_chosen)
{
    double w[V_COUNT];
    for (int i = 0; i < V_COUNT; i++)
        w[i] = 1;
    if (ps->n_kids)
        w[V_FAMILY] += 4;
    if (ps->has_partner)
        w[V_FAMILY] += 1;
    static const struct {
        int code;
        int value[3];
        double add[3];
    } by_money[] = {
        { M_FRUGAL, { V_THRIFT, V_SECURITY, V_HARD_WORK }, { 4, 1, 1 } },
        { M_BALANCED, { V_SECURITY, V_COMFORT, V_HONESTY }, { 1.5, 1, 1 } },
        { M_SPENDER, { V_COMFORT, V_FREEDOM, V_ADVENTURE }, { 2, 1, 1 } },
        { M_INVESTOR, { V_SECURITY, V_ACHIEVEMENT, V_INDEPENDENCE }, { 2, 1.5, 1.5 } },
        { M_STATUS, { V_STATUS, V_ACHIEVEMENT, V_COMFORT }, { 3, 2, 1 } },
    }, by_personality[] = {
        { P_PLANNER, { V_SECURITY, V_HARD_WORK, V_FAMILY }, { 2, 1, 0.5 } },
        { P_EXPLORER, { V_ADVENTURE, V_LEARNING, V_FREEDOM }, { 3, 2, 1 } },
        { P_OPTIMIST, { V_COMMUNITY, V_FAMILY, V_FREEDOM }, { 2, 1, 0.5 } },
        { P_PERFECTIONIST, { V_ACHIEVEMENT, V_HONESTY, V_HARD_WORK }, { 2, 1, 1 } },
        { P_PRAGMATIST, { V_COMFORT, V_FREEDOM, V_LOYALTY }, { 1, 1, 1 } },
        { P_ANALYST, { V_LEARNING, V_HONESTY, V_INDEPENDENCE }, { 2, 1, 1 } },
        { P_CAREGIVER, { V_FAMILY, V_COMMUNITY, V_HEALTH }, { 2, 2, 1 } },
        { P_GOGETTER, { V_ACHIEVEMENT, V_INDEPENDENCE, V_STATUS }, { 3, 2, 1 } },
        { P_TRADITIONALIST, { V_TRADITION, V_FAITH, V_FAMILY }, { 4, 2, 2 } },
        { P_FREE_SPIRIT, { V_FREEDOM, V_CREATIVITY, V_ADVENTURE }, { 4, 2, 2 } },
    };
    for (int k = 0; k < 3; k++) {
        w[by_money[ps->money].value[k]] += by_money[ps->money].add[k];
        w[by_personality[ps->personality].value[k]] += by_personality[ps->personality].add[k];
    }
    if (ps->tech <= T_ENTHUSIAST) {
        w[V_LEARNING] += 1;
        w[V_CREATIVITY] += 0.5;
    }
    if (ps->occ_kind == OCC_RETIRED)
        w[V_HEALTH] += 2;
    if (ps->age > 50) {
        w[V_FAITH] += 1;
        w[V_TRADITION] += 1;
    }
    if (ps->income <= INCOME_LOWER_MIDDLE) {
        w[V_HARD_WORK] += 2;
        w[V_FAITH] += 1;
    }
    if (has_topic(ps, "sustainability"))
        w[V_SUSTAINABILITY] += 4;
    if (has_topic(ps, "health") || has_topic(ps, "fitness"))
        w[V_HEALTH] += 2;
    size_t want = 2 + (size_t)prng_below(ps->r, 3);
    *n_chosen = 0;
    for (size_t k = 0; k < want; k++) {
        int v = (int)draw_weighted(ps->r, w, V_COUNT);
        w[v] = 0;
        chosen[(*n_chosen)++] = v;
        strlist_add(&ps->p->values, tr(VALUES[v].name, ps->lang));
    }
}

/* 5 to 7 beliefs consistent with the attitudes, temperament, values and interests. */
static void build_beliefs(struct person *ps, const int *values, size_t n_values)
{
    struct strlist *b = &ps->p->beliefs;
    struct prng *r = ps->r;
    int lang = ps->lang;
    size_t m = (size_t)prng_below(r, 3);
    add_said(ps, b, tr(MONEY_BELIEFS[ps->money][m], lang), NULL);
    add_said(ps, b, tr(TECH_BELIEFS[ps->tech][prng_below(r, 3)], lang), NULL);
    add_said(ps, b, tr(PERSONALITY_BELIEFS[ps->personality], lang), NULL);
    for (size_t i = 0; i < n_values && i < 2; i++)
        add_said(ps, b, tr(VALUES[values[i]].belief, lang), NULL);
    for (size_t i = 0; i < ps->n_topics && b->n < 7; i++) {
        const struct bi *t = TOPIC_DRAW(TOPIC_BELIEFS, ps->d->topics[ps->topics[i]].name, r);
        if (t)
            add_said(ps, b, tr(*t, lang), NULL);
    }
    for (size_t k = 1; b->n < 5 && k < 3; k++)
        add_said(ps, b, tr(MONEY_BELIEFS[ps->money][(m + k) % 3], lang), NULL);
}

static unsigned person_needs(const struct person *ps)
{
    unsigned f = 0;
    f |= ps->occ_kind == OCC_STUDENT ? NEED_STUDENT : 0;
    f |= ps->occ_kind == OCC_RETIRED ? NEED_RETIRED : 0;
    f |= ps->occ_kind == OCC_JOB ? NEED_WORKER : 0;
    f |= ps->n_kids ? NEED_PARENT : NEED_NO_KIDS;
    f |= ps->income <= INCOME_LOWER_MIDDLE ? NEED_LOW : 0;
    f |= ps->income >= INCOME_UPPER_MIDDLE ? NEED_HIGH : NEED_NOT_HIGH;
    f |= has_topic(ps, "sport") || has_topic(ps, "fitness") || has_topic(ps, "outdoors")
             ? NEED_ACTIVE
             : 0;
    f |= ps->lang == PT ? NEED_PT : NEED_EN;
    f |= ps->money == M_FRUGAL || ps->money == M_BALANCED || ps->money == M_INVESTOR ? NEED_SAVER
                                                                                     : 0;
    return f;
}

/* 2 or 3 long-term goals that suit the person's age and situation. */
static void build_goals(struct person *ps)
{
    unsigned have = person_needs(ps);
    double w[ARRAY_SIZE(GOALS)];
    for (size_t i = 0; i < ARRAY_SIZE(GOALS); i++) {
        bool fits = ps->age >= GOALS[i].min_age && ps->age <= GOALS[i].max_age &&
                    (GOALS[i].need & have) == GOALS[i].need;
        w[i] = fits ? (GOALS[i].need ? 2 : 1) : 0;
    }
    size_t want = 2 + (size_t)prng_below(ps->r, 2);
    struct say_vars v = { .dest = tr(DESTINATIONS[prng_below(ps->r, ARRAY_SIZE(DESTINATIONS))],
                                     ps->lang) };
    for (size_t k = 0; k < want; k++) {
        double total = 0;
        for (size_t i = 0; i < ARRAY_SIZE(GOALS); i++)
            total += w[i];
        if (total <= 0)
            break;
        size_t g = draw_weighted(ps->r, w, ARRAY_SIZE(GOALS));
        w[g] = 0;
        add_said(ps, &ps->p->long_term_goals, tr(GOALS[g].text, ps->lang), &v);
    }
    if (ps->p->long_term_goals.n < 2)
        add_said(ps, &ps->p->long_term_goals,
                 ps->lang == PT ? "Ter mais tempo para si" : "Have more time for myself", NULL);
    for (size_t i = 0; ps->p->long_term_goals.n < 2 && i < ARRAY_SIZE(GOALS); i++)
        if (GOALS[i].need == 0 && strstr(GOALS[i].text.en, "{dest}"))
            add_said(ps, &ps->p->long_term_goals, tr(GOALS[i].text, ps->lang), &v);
}

/* 2 to 4 skills: from the work, the interests, languages and temperament. */
static void build_skills(struct person *ps)
{
    struct strlist *s = &ps->p->skills;
    struct prng *r = ps->r;
    int lang = ps->lang;
    size_t want = 2 + (size_t)prng_below(r, 3);
    /* one from the work's own topic (office work has no telling one) */
    if (ps->occ && ps->occ->topics.n && strcmp(ps->occ->topics.items[0], "career") != 0 &&
        strcmp(ps->occ->topics.items[0], "money") != 0) {
        const struct bi *b = TOPIC_DRAW(TOPIC_SKILLS, ps->occ->topics.items[0], r);
        if (b)
            add_said(ps, s, tr(*b, lang), NULL);
    }
    for (size_t i = 0; i < ps->n_topics && s->n < want; i++) {
        const struct bi *b = TOPIC_DRAW(TOPIC_SKILLS, ps->d->topics[ps->topics[i]].name, r);
        if (b)
            add_said(ps, s, tr(*b, lang), NULL);
    }
    if (s->n < want && lang == PT && ps->education >= 3)
        add_said(ps, s, chance(r, 0.5) ? "inglês fluente" : "inglês intermediário", NULL);
    else if (s->n < want && lang == EN && chance(r, 0.3))
        add_said(ps, s, chance(r, 0.5) ? "conversational Spanish" : "basic French", NULL);
    if (s->n < want || s->n < 2)
        add_said(ps, s, tr(PERSONALITY_SKILLS[ps->personality], lang), NULL);
    if (s->n < 2)
        add_said(ps, s, lang == PT ? "dirigir" : "driving", NULL);
}

/* "6:30 am" / "6h30". */
static void clock_text(int minutes, int lang, char *out, size_t n)
{
    int h = minutes / 60, m = minutes % 60;
    if (lang == PT && m)
        snprintf(out, n, "%dh%02d", h, m);
    else if (lang == PT)
        snprintf(out, n, "%dh", h);
    else
        snprintf(out, n, "%d:%02d %s", h % 12 ? h % 12 : 12, m, h < 12 ? "am" : "pm");
}

/* How the person's day is shaped by what they do. */
enum day_kind {
    DAY_OFFICE,
    DAY_SHIFT,
    DAY_REMOTE,
    DAY_SCHOOL,
    DAY_ACTIVE,
    DAY_HOME,
    DAY_STUDENT,
    DAY_RETIRED
};

static enum day_kind day_of(const struct person *ps)
{
    if (ps->occ_kind == OCC_STUDENT)
        return DAY_STUDENT;
    if (ps->occ_kind == OCC_RETIRED)
        return DAY_RETIRED;
    const char *title = ps->occ->title[EN];
    if (strcasestr(title, "homemaker") || strcasestr(title, "job seeker"))
        return DAY_HOME;
    if (strcasestr(title, "teacher") || strcasestr(title, "lecturer"))
        return DAY_SCHOOL;
    static const char *const shift_titles[] = {
        "warehouse", "factory", "driver",  "guard",  "police", "firefighter",
        "paramedic", "baker",   "cook",    "chef",   "waiter", "bartender",
        "farm",      "fisher",  "soldier", "cashier"
    };
    for (size_t k = 0; k < ARRAY_SIZE(shift_titles); k++)
        if (strcasestr(title, shift_titles[k]))
            return DAY_SHIFT;
    const char *t = ps->occ->topics.n ? ps->occ->topics.items[0] : "";
    if (ps->self_employed && (strcmp(t, "arts") == 0 || strcmp(t, "education") == 0 ||
                              strcmp(t, "social_media") == 0 || strcmp(t, "health") == 0))
        return DAY_REMOTE; /* freelancers at home: translators, writers, therapists online */
    if (strcmp(t, "health") == 0 || strcmp(t, "security") == 0)
        return DAY_SHIFT;
    if (strcmp(t, "fitness") == 0 || strcmp(t, "sport") == 0)
        return DAY_ACTIVE;
    if (strcmp(t, "technology") == 0 || strcmp(t, "social_media") == 0)
        return strcasestr(title, "call cent") ? DAY_OFFICE : DAY_REMOTE;
    return DAY_OFFICE;
}

/* 2 or 3 habits from the attitudes and temperament; morning and evening routines from the day. */
static void build_behaviors(struct person *ps)
{
    struct persona *p = ps->p;
    struct prng *r = ps->r;
    int lang = ps->lang;
    struct bi cands[3] = {
        MONEY_BEHAVIORS[ps->money][prng_below(r, 2)],
        TECH_BEHAVIORS[ps->tech][prng_below(r, 2)],
        PERSONALITY_BEHAVIORS[ps->personality],
    };
    prng_shuffle(r, cands, 3, sizeof(cands[0]));
    size_t want = 2 + (size_t)prng_below(r, 2);
    for (size_t i = 0; i < want; i++)
        add_said(ps, &p->behaviors, tr(cands[i], lang), NULL);

    static const struct {
        int from, to; /* minutes after midnight */
        struct bi text;
    } mornings[] = {
        [DAY_OFFICE] = { 360,
                         450,
                         { "Up at {time}, checks messages over coffee, then commutes to work",
                           "Acorda às {time}, vê as mensagens tomando café e sai para o trabalho" } },
        [DAY_SHIFT] = { 300,
                        360,
                        { "Wakes at {time} for the early shift and grabs coffee on the way",
                          "Acorda às {time} para o turno da manhã e toma café no caminho" } },
        [DAY_REMOTE] = { 420,
                         510,
                         { "Starts at {time} with a video call from the kitchen table",
                           "Começa às {time} com uma chamada de vídeo na mesa da cozinha" } },
        [DAY_SCHOOL] = { 345,
                         405,
                         { "Leaves home at {time} to be at school before the first bell",
                           "Sai de casa às {time} para chegar à escola antes do primeiro sinal" } },
        [DAY_ACTIVE] = { 300,
                         390,
                         { "Up at {time} to run the first session of the day",
                           "Acorda às {time} para o primeiro treino do dia" } },
        [DAY_HOME] = { 390,
                       450,
                       { "Up at {time}, sorts out breakfast and the house before anything else",
                         "Acorda às {time} e resolve o café da manhã e a casa antes de tudo" } },
        [DAY_STUDENT] = { 420,
                          540,
                          { "Gets up at {time}, eats something quick and rushes to class",
                            "Levanta às {time}, come algo rápido e corre para a aula" } },
        [DAY_RETIRED] = { 360,
                          480,
                          { "Wakes at {time} without an alarm, walks around the neighbourhood and reads the news",
                            "Acorda às {time} sem despertador, caminha pelo bairro e lê as notícias" } },
    };
    enum day_kind day = day_of(ps);
    char t[32];
    clock_text(draw_int(r, mornings[day].from / 15, mornings[day].to / 15) * 15, lang, t,
               sizeof(t));
    struct say_vars v = { .time = t, .interest = p->interests.n ? p->interests.items[0] : NULL };
    struct buf morning;
    buf_init(&morning, TEXT_MAX);
    say(ps, &morning, tr(mornings[day].text, lang), &v);
    bool school_kids = ps->n_kids && ps->youngest_kid >= 4 && ps->youngest_kid <= 17;
    if (school_kids && day != DAY_RETIRED)
        buf_adds(&morning, lang == PT ? ", depois de arrumar as crianças para a escola"
                                      : ", after getting the kids ready for school");
    buf_addch(&morning, '.');

    struct buf evening;
    buf_init(&evening, TEXT_MAX);
    clock_text(draw_int(r, 76, 84) * 15, lang, t, sizeof(t));
    const char *e;
    if (ps->n_kids && ps->youngest_kid < 6 && chance(r, 0.7))
        e = lang == PT
                ? "Dá banho nas crianças, janta com a família e apaga no sofá antes das dez."
                : "Bath time for the kids, dinner with the family, then dozes off on the sofa "
                  "before ten.";
    else if (ps->n_kids && ps->youngest_kid < 14 && chance(r, 0.7))
        e = lang == PT ? "Janta com a família, ajuda na lição de casa e vê uma série depois que "
                         "as crianças dormem."
                       : "Dinner with the family, homework with the kids, then a series once they "
                         "are asleep.";
    else if (day == DAY_STUDENT)
        e = lang == PT ? "Estuda ou encontra os amigos, e raramente dorme antes da meia-noite."
                       : "Studies or meets friends, and rarely sleeps before midnight.";
    else if (day == DAY_RETIRED)
        e = lang == PT ? "Prepara o jantar, assiste ao jornal da noite e liga para a família."
                       : "Cooks dinner, watches the evening news and calls the family.";
    else if (day == DAY_SHIFT && chance(r, 0.6))
        e = lang == PT ? "Chega em casa cansad{o|a} por volta das {time}, come algo simples e "
                         "dorme cedo."
                       : "Gets home tired around {time}, eats something simple and sleeps early.";
    else if (ps->personality == P_GOGETTER)
        e = lang == PT ? "Trabalha até tarde e ainda encaixa a academia."
                       : "Works late, then squeezes in the gym.";
    else
        e = lang == PT ? "Depois do jantar, reserva um tempo para {interest}."
                       : "After dinner, makes time for {interest}.";
    say(ps, &evening, e, &v);

    p->routines = xcalloc(2, sizeof(*p->routines));
    p->routines[0].when = xstrdup("morning");
    p->routines[0].what = buf_detach(&morning, NULL);
    p->routines[1].when = xstrdup("evening");
    p->routines[1].what = buf_detach(&evening, NULL);
    p->n_routines = 2;
    buf_release(&morning);
    buf_release(&evening);
}

/* A sentence of health for the age, with nerves for the neurotic. */
static void build_health(struct person *ps)
{
    int band = ps->age < 30 ? 0 : ps->age < 50 ? 1 : ps->age < 65 ? 2 : 3;
    struct buf b;
    buf_init(&b, TEXT_MAX);
    say(ps, &b, tr(HEALTH[band][prng_below(ps->r, 4)], ps->lang), NULL);
    if (ps->p->big5[BIG5_NEUROTICISM] == BIG5_HIGH)
        say(ps, &b,
            ps->lang == PT ? "; ansios{o|a}, dorme mal antes de decisões importantes"
                           : "; anxious, sleeps badly before big decisions",
            NULL);
    buf_addch(&b, '.');
    ps->p->health = buf_detach(&b, NULL);
    buf_release(&b);
}

/* ---- relationships, facts, style --------------------------------------------------------- */

static void add_relationship(struct persona *p, const char *name, const char *desc)
{
    p->relationships =
        xrealloc(p->relationships, st_mult(p->n_relationships + 1, sizeof(*p->relationships)));
    p->relationships[p->n_relationships].name = xstrdup(name);
    p->relationships[p->n_relationships].description = xstrdup(desc);
    p->n_relationships++;
}

/* "Ana Souza": a first name of the given gender and a surname (the person's own when last). */
static void relative_name(const struct person *ps, bool fem, const char *last, char *out, size_t n)
{
    const char *first = draw_first(ps, fem);
    snprintf(out, n, "%s %s", first, last ? last : draw_last(ps));
}

/* A spouse or partner of about the same age, with a job or retired. */
static void add_partner(struct person *ps)
{
    struct prng *r = ps->r;
    int lang = ps->lang;
    bool pf =
        ps->sex == SEX_NONBINARY ? chance(r, 0.5) : (ps->fem ? chance(r, 0.08) : !chance(r, 0.08));
    int page = clampi(ps->age + draw_int(r, -5, 5), 18, AGE_CEIL);
    int younger = page < ps->age ? page : ps->age;
    bool married = younger >= 23 && chance(r, 0.75);
    int years = draw_int(r, 1, younger - 18 > 1 ? younger - 18 : 1);
    const char *role;
    if (married)
        role = lang == PT ? (pf ? "Esposa" : "Marido") : (pf ? "Wife" : "Husband");
    else if (younger < 35)
        role = lang == PT ? (pf ? "Namorada" : "Namorado") : (pf ? "Girlfriend" : "Boyfriend");
    else
        role = lang == PT ? (pf ? "Companheira" : "Companheiro") : "Partner";
    struct buf job, desc;
    buf_init(&job, TEXT_MAX);
    buf_init(&desc, TEXT_MAX);
    if (page >= 67) {
        buf_adds(&job, lang == PT ? (pf ? "aposentada" : "aposentado") : "retired");
    } else {
        const struct offline_occupation *o = NULL;
        for (int tries = 0; tries < 20 && !o; tries++) {
            const struct offline_occupation *c =
                &ps->d->occupations[prng_below(r, ps->d->n_occupations)];
            if (!occupation_is_special(c) && c->min_age <= page)
                o = c;
        }
        if (o)
            occ_phrase(o, lang, pf, &job);
        else
            buf_adds(&job, lang == PT ? "trabalha por conta própria" : "self-employed");
    }
    bool both_f = pf && ps->fem;
    if (lang == PT)
        buf_addf(&desc, "%s, %s; %s há %d %s", role, job.data,
                 married ? (both_f ? "casadas" : "casados") : (both_f ? "juntas" : "juntos"), years,
                 years == 1 ? "ano" : "anos");
    else
        buf_addf(&desc, "%s, %s; %s for %d %s", role, job.data, married ? "married" : "together",
                 years, years == 1 ? "year" : "years");
    char name[256];
    relative_name(ps, pf, NULL, name, sizeof(name));
    add_relationship(ps->p, name, desc.data);
    buf_release(&job);
    buf_release(&desc);
}

static const char *kid_stage(int age, int lang)
{
    static const struct {
        int max;
        struct bi text;
    } stages[] = {
        { 2, { "still a toddler", "ainda bebê" } },
        { 5, { "in pre-school", "na educação infantil" } },
        { 10, { "in primary school", "no ensino fundamental" } },
        { 14, { "in middle school", "nos anos finais do fundamental" } },
        { 17, { "in high school", "no ensino médio" } },
        { 24, { "at university", "na faculdade" } },
        { 200, { "lives nearby with a family of their own", "mora perto, com a própria família" } },
    };
    size_t i = 0;
    while (age > stages[i].max)
        i++;
    return tr(stages[i].text, lang);
}

/* A son or daughter of the given age, with the person's surname. */
static void add_kid(struct person *ps, int kid_age)
{
    bool kf = chance(ps->r, 0.5);
    char name[256], desc[512];
    relative_name(ps, kf, ps->last_name, name, sizeof(name));
    if (ps->lang == PT)
        snprintf(desc, sizeof(desc), "%s, %d %s, %s", kf ? "Filha" : "Filho", kid_age,
                 kid_age == 1 ? "ano" : "anos", kid_stage(kid_age, PT));
    else if (kid_age == 0)
        snprintf(desc, sizeof(desc), "%s, a baby", kf ? "Daughter" : "Son");
    else
        snprintf(desc, sizeof(desc), "%s, %d, %s", kf ? "Daughter" : "Son", kid_age,
                 kid_stage(kid_age, EN));
    if (ps->lang == PT && kid_age == 0)
        snprintf(desc, sizeof(desc), "%s, com menos de um ano", kf ? "Filha" : "Filho");
    add_relationship(ps->p, name, desc);
}

/* One of the people around the person other than partner and children; false if none fits. */
static bool add_other_relation(struct person *ps, int kind)
{
    struct prng *r = ps->r;
    int lang = ps->lang;
    char name[256], desc[512];
    bool f = chance(r, 0.5);
    switch (kind) {
    case 0: { /* a parent */
        int page = ps->age + draw_int(r, 22, 34);
        if (page > 92)
            return false;
        relative_name(ps, f, f ? NULL : ps->last_name, name, sizeof(name));
        if (f)
            snprintf(desc, sizeof(desc),
                     lang == PT ? "Mãe, %d anos; se falam por telefone todo dia"
                                : "Mother, %d; they talk on the phone every day",
                     page);
        else
            snprintf(desc, sizeof(desc),
                     lang == PT ? "Pai, %d anos; assistem a jogos de futebol juntos aos domingos"
                                : "Father, %d; they watch football together on Sundays",
                     page);
        break;
    }
    case 1: { /* a sibling */
        bool older = chance(r, 0.5);
        const char *elder = lang == PT ? (older ? (f ? "mais velha" : "mais velho")
                                                : (f ? "mais nova" : "mais novo"))
                                       : (older ? "Older" : "Younger");
        relative_name(ps, f, ps->last_name, name, sizeof(name));
        bool away = chance(r, 0.4);
        if (lang == PT)
            snprintf(desc, sizeof(desc), "%s %s; %s%s%s", f ? "Irmã" : "Irmão", elder,
                     away ? "mora " : "dividem o grupo da família no celular",
                     away && city_takes_article(ps->other_city) ? "no " : (away ? "em " : ""),
                     away ? ps->other_city : "");
        else
            snprintf(desc, sizeof(desc), "%s %s; %s%s", elder, f ? "sister" : "brother",
                     away ? "lives in " : "they share the family group chat",
                     away ? ps->other_city : "");
        break;
    }
    case 2: /* a friend */
        f = chance(r, 0.7) ? ps->fem : !ps->fem;
        relative_name(ps, f, NULL, name, sizeof(name));
        snprintf(desc, sizeof(desc), "%s",
                 lang == PT ? (f ? "Melhor amiga desde a escola; se encontram toda semana"
                                 : "Melhor amigo desde a escola; se encontram toda semana")
                            : "Best friend since school; they meet every week");
        break;
    case 3: /* a colleague or classmate */
        if (ps->occ_kind == OCC_RETIRED)
            return false;
        relative_name(ps, f, NULL, name, sizeof(name));
        if (ps->occ_kind == OCC_STUDENT)
            snprintf(desc, sizeof(desc), "%s",
                     lang == PT ? "Colega de turma; estudam juntos para as provas"
                                : "Classmate; they study together for exams");
        else
            snprintf(desc, sizeof(desc), "%s",
                     lang == PT ? "Colega de trabalho e companhia no almoço"
                                : "Colleague and lunch companion at work");
        break;
    case 4: /* a neighbour, for older people */
        if (ps->age < 55)
            return false;
        relative_name(ps, f, NULL, name, sizeof(name));
        snprintf(desc, sizeof(desc), "%s",
                 lang == PT ? (f ? "Vizinha que passa todo dia para ver como estão as coisas"
                                 : "Vizinho que passa todo dia para ver como estão as coisas")
                            : "Neighbour who drops by every day to check in");
        break;
    default: { /* a grandchild */
        int oldest_kid = ps->youngest_kid + 2 * (ps->n_kids - 1);
        if (!ps->n_kids || oldest_kid < 20)
            return false;
        int gage = draw_int(r, 1, clampi(oldest_kid - 19, 1, 16));
        relative_name(ps, f, NULL, name, sizeof(name));
        if (lang == PT)
            snprintf(desc, sizeof(desc), "%s, %d %s; passa os fins de semana na casa dos avós",
                     f ? "Neta" : "Neto", gage, gage == 1 ? "ano" : "anos");
        else
            snprintf(desc, sizeof(desc), "%s, %d; spends weekends at the grandparents' house",
                     f ? "Granddaughter" : "Grandson", gage);
        break;
    }
    }
    add_relationship(ps->p, name, desc);
    return true;
}

/* 1 to 3 people: partner and children first (a child when there is room for one only). */
static void build_relationships(struct person *ps)
{
    struct prng *r = ps->r;
    size_t want = 1 + (size_t)prng_below(r, 3);
    if (ps->has_partner && (want >= 2 || !ps->n_kids))
        add_partner(ps);
    int kid_age = ps->youngest_kid;
    for (int k = 0; k < ps->n_kids && ps->p->n_relationships < want; k++) {
        add_kid(ps, kid_age);
        kid_age += draw_int(r, 1, 4);
        if (kid_age > ps->age - 19)
            break;
    }
    int kinds[6] = { 0, 1, 2, 3, 4, 5 };
    prng_shuffle(r, kinds, 6, sizeof(kinds[0]));
    for (size_t i = 0; i < 6 && ps->p->n_relationships < want; i++)
        add_other_relation(ps, kinds[i]);
    if (ps->p->n_relationships == 0)
        add_other_relation(ps, 2);
}

/* Home, origin and 1 to 3 more facts; then the picks this file could not use. */
static void build_facts(struct person *ps, const int *values, size_t n_values)
{
    struct persona *p = ps->p;
    struct prng *r = ps->r;
    int lang = ps->lang;
    struct say_vars v = { .city = ps->city, .other_city = ps->other_city };

    /* where and how they live */
    const char *home;
    if (ps->occ_kind == OCC_STUDENT)
        home = chance(r, 0.6)
                   ? (lang == PT ? "Ainda mora com os pais" : "Still lives with the parents")
                   : (lang == PT ? "Divide apartamento com dois amigos perto da faculdade"
                                 : "Shares a flat with two friends near campus");
    else if (ps->culture == C_RURAL)
        home = lang == PT ? "Mora na zona rural, a alguns quilômetros {de city}"
                          : "Lives in the countryside outside {city}, a drive from the centre";
    else if (ps->income <= INCOME_LOWER_MIDDLE)
        home = lang == PT ? "Mora de aluguel num apartamento pequeno na periferia {de city}"
                          : "Rents a small flat on the outskirts of {city}";
    else if (ps->income == INCOME_MIDDLE)
        home = lang == PT ? "Paga o financiamento de um apartamento de dois quartos {em city}"
                          : "Is paying off a mortgage on a two-bedroom flat in {city}";
    else
        home = lang == PT ? "Tem casa própria com quintal num bairro tranquilo {de city}"
                          : "Owns a house with a garden in a quiet part of {city}";
    add_said(ps, &p->other_facts, home, &v);

    /* where they come from */
    if (ps->age >= 20 && ps->other_city != ps->city && chance(r, 0.5)) {
        v.n = draw_int(r, 17, ps->age < 35 ? ps->age - 1 : 35);
        add_said(ps, &p->other_facts,
                 lang == PT ? "Cresceu {em other_city} e se mudou {para city} aos {n} anos"
                            : "Grew up in {other_city} and moved to {city} at {n}",
                 &v);
    } else {
        add_said(ps, &p->other_facts,
                 lang == PT ? "Mora {em city} desde que nasceu" : "Has lived in {city} since birth",
                 &v);
    }

    /* a few more, drawn */
    struct bi pool[12];
    size_t n_pool = 0;
    v.pet = tr(PETS[prng_below(r, ARRAY_SIZE(PETS))], lang);
    v.pet_name = PET_NAMES[prng_below(r, ARRAY_SIZE(PET_NAMES))];
    v.interest = p->interests.n ? p->interests.items[prng_below(r, p->interests.n)] : NULL;
    pool[n_pool++] = (struct bi){ "Has {pet} called {pet_name}", "Tem {pet} chamado {pet_name}" };
    if (ps->occ_kind == OCC_JOB && day_of(ps) != DAY_HOME) {
        static const struct bi ways[] = {
            { "Commutes {n} minutes each way by bus",
              "Leva {n} minutos para chegar ao trabalho de ônibus" },
            { "Drives {n} minutes to work and back every day",
              "Dirige {n} minutos para ir e voltar do trabalho" },
            { "Cycles {n} minutes to work when it does not rain",
              "Vai de bicicleta ao trabalho, {n} minutos, quando não chove" }
        };
        pool[n_pool++] = ways[prng_below(r, ARRAY_SIZE(ways))];
    }
    if (ps->income <= INCOME_LOWER_MIDDLE)
        pool[n_pool++] =
            (struct bi){ "Has never travelled abroad", "Nunca viajou para fora do país" };
    else if (ps->income >= INCOME_UPPER_MIDDLE)
        pool[n_pool++] = (struct bi){ "Travels abroad at least once a year",
                                      "Viaja para o exterior pelo menos uma vez por ano" };
    else
        pool[n_pool++] = (struct bi){ "Saves all year for one holiday",
                                      "Junta dinheiro o ano inteiro para uma viagem de férias" };
    if (ps->tech >= T_CAUTIOUS)
        pool[n_pool++] = (struct bi){ "Still uses a phone with a cracked screen",
                                      "Ainda usa um celular com a tela trincada" };
    else if (ps->tech == T_EARLY)
        pool[n_pool++] = (struct bi){ "Owns a smartwatch, a tablet and two phones",
                                      "Tem smartwatch, tablet e dois celulares" };
    if (v.interest)
        pool[n_pool++] = (struct bi){ "Sets aside about {n} hours a week for {interest}",
                                      "Reserva cerca de {n} horas por semana para {interest}" };
    for (size_t i = 0; i < n_values; i++) {
        if (values[i] == V_FAITH)
            pool[n_pool++] =
                (struct bi){ "Attends religious services every week", "Vai à igreja toda semana" };
        if (values[i] == V_COMMUNITY)
            pool[n_pool++] =
                (struct bi){ "Volunteers at a food bank once a month",
                             "Faz trabalho voluntário num banco de alimentos uma vez por mês" };
    }
    if (ps->occ_kind == OCC_JOB && ps->income <= INCOME_MIDDLE && ps->age < 60)
        pool[n_pool++] =
            chance(r, 0.5)
                ? (struct bi){ "Sells homemade sweets at weekends for extra money",
                               "Vende doces caseiros nos fins de semana para complementar a renda" }
                : (struct bi){ "Drives for a ride-hailing app at weekends",
                               "Dirige por aplicativo nos fins de semana" };
    if (has_topic(ps, "sport") || chance(r, 0.1))
        pool[n_pool++] = (struct bi){ "Never misses a game of the local team",
                                      "Torce fanaticamente pelo time da cidade" };
    static const struct bi quirks[] = {
        { "Cannot start the day without coffee", "Não começa o dia sem café" },
        { "Keeps plants on every windowsill", "Tem plantas em todas as janelas" },
        { "Collects vinyl records", "Coleciona discos de vinil" },
        { "Is learning the piano from online videos",
          "Está aprendendo piano com vídeos na internet" },
        { "Knows every neighbour by name", "Conhece todos os vizinhos pelo nome" },
        { "Has kept a diary since the age of twelve", "Escreve um diário desde os doze anos" },
        { "Never misses the neighbourhood street market", "Não perde a feira do bairro" },
    };
    pool[n_pool++] = quirks[prng_below(r, ARRAY_SIZE(quirks))];
    assert(n_pool <= ARRAY_SIZE(pool));
    prng_shuffle(r, pool, n_pool, sizeof(pool[0]));
    size_t want = 1 + (size_t)prng_below(r, 3);
    for (size_t i = 0; i < n_pool && i < want; i++) {
        v.n = strstr(pool[i].en, "hours") ? draw_int(r, 2, 10) : draw_int(r, 15, 55);
        add_said(ps, &p->other_facts, tr(pool[i], lang), &v);
    }
    for (size_t i = 0; i < ps->unknown.n; i++)
        strlist_add(&p->other_facts, ps->unknown.items[i]);
}

/* How the person speaks: the type's tone, the register of their education, age and accent. */
static void build_style(struct person *ps)
{
    int lang = ps->lang;
    struct buf b;
    buf_init(&b, TEXT_MAX);
    say(ps, &b, tr(STYLE_TONES[ps->personality], lang), NULL);
    buf_adds(&b, "; ");
    static const struct bi registers[] = {
        { "uses simple, everyday words", "usa palavras simples do dia a dia" },
        { "mixes work jargon with everyday talk",
          "mistura jargão do trabalho com a fala do dia a dia" },
        { "comfortable with technical vocabulary",
          "tem vocabulário amplo e se expressa com facilidade" },
    };
    int reg = ps->education <= 1 ? 0 : ps->education == 2 ? 1 : 2;
    if (ps->occ_kind == OCC_STUDENT)
        reg = ps->age < 18 ? 0 : 2;
    buf_adds(&b, tr(registers[reg], lang));
    if (ps->age < 30)
        buf_adds(&b,
                 lang == PT ? ", com muita gíria da internet" : ", with plenty of internet slang");
    else if (ps->age > 60)
        buf_adds(&b, lang == PT ? ", com expressões de antigamente"
                                : ", with old-fashioned expressions");
    bool accent = chance(ps->r, 0.35);
    if (accent && lang == PT) {
        buf_adds(&b, "; sotaque ");
        add_place(&b, "de", ps->city, lang);
    } else if (accent) {
        buf_addf(&b, "; a %s accent", ps->city);
    }
    buf_addch(&b, '.');
    ps->p->style = buf_detach(&b, NULL);
    buf_release(&b);
}

/*
 * Reads the picks, draws what they leave open from the description and the
 * tables, then fills every field of the spec in the person's language.
 */
json_t *offline_person(const struct offline_model *m, const struct person_input *in, struct prng *r)
{
    struct population pop;
    read_population(m, in->description, &pop);
    struct person ps = {
        .m = m,
        .d = m->data,
        .r = r,
        .p = persona_new(),
        .sex = -1,
        .personality = -1,
        .money = -1,
        .tech = -1,
        .culture = -1,
        .life = -1,
    };
    struct persona *p = ps.p;
    read_picks(&ps, in);
    complete_sample(&ps, in, &pop);
    decide_occupation(&ps, &pop);
    fit_topics(&ps);
    decide_place(&ps);
    decide_family(&ps);

    p->name = unique_name(&ps, &in->used_names);
    p->age = ps.age;
    p->gender = xstrdup(tr(GENDER[ps.sex], ps.lang));
    p->nationality = xstrdup(nationality_label(ps.country, ps.lang, ps.fem));
    free(p->language);
    p->language = xstrdup(offline_lang_name(ps.lang));
    struct buf res;
    buf_init(&res, TEXT_MAX);
    buf_addf(&res, "%s, %s", ps.city, country_label(ps.country, ps.lang));
    p->residence = buf_detach(&res, NULL);
    buf_release(&res);
    p->income = ps.income;

    build_big5(&ps);
    build_traits(&ps);
    build_preferences(&ps, &pop);
    build_occupation(&ps);
    int values[V_COUNT];
    size_t n_values;
    build_values(&ps, values, &n_values);
    build_beliefs(&ps, values, n_values);
    build_goals(&ps);
    build_skills(&ps);
    build_behaviors(&ps);
    build_health(&ps);
    build_relationships(&ps);
    build_facts(&ps, values, n_values);
    build_style(&ps);

    json_t *answer = persona_to_json(p, PERSONA_SHAPE_SPEC);
    persona_free(p);
    strlist_release(&ps.free_interests);
    strlist_release(&ps.unknown);
    population_release(&pop);
    return answer;
}
