"""The text of the synthetic corpus: words drawn as in natural text, sentences, paragraphs, titles
and names, reproducibly from a random.Random."""

from bisect import bisect
from itertools import accumulate

# The vocabulary of the generated text, most frequent first: word frequencies fall off as in
# natural text (Zipf), so some words are in most records and most words are in few.
WORDS = """
women community rights local groups support girls gender work women's leaders project
programme national violence land access services economic health government network
training rural change social participation organisations justice policy members leadership
power voice collective action partners public campaign advocacy savings
movement young district income decision farmers law protection family care equality
resources village market learning safe space education water budget legal decisions
accountability space survivors domestic cooperative credit livelihoods research
unpaid strengthening councils officials alliance regional power-holders feminist
agricultural enterprise mentoring dialogue solidarity youth representation sexual
reproductive campaigns evidence monitoring sustainable climate resilience disaster
forest fisheries street vendors domestic-workers unions wages informal mobilising
peer literacy radio theatre mothers elders religious customary tenure titles inheritance
marriage child early schools teachers clinics midwives paralegals courts police
referral shelters helplines counselling documentation mapping scorecards hearings
petitions marches assemblies caucus quotas elections candidates councillors
parliament ministries reform implementation review reporting standards commitments
financing grants funds donors transparency audits tracking expenditure tax
cash transfers pensions insurance childcare burden time-use infrastructure roads
markets transport energy solar stoves sanitation hygiene menstrual nutrition
seeds irrigation extension value chains processing pricing buyers traders
certification quality exports coffee cocoa cotton rice maize dairy poultry
crafts textiles garment factories migrants refugees displacement conflict peace
reconciliation humanitarian recovery emergency preparedness early-warning
indigenous minority disability ageing widows adolescents boys men masculinities
allies norms attitudes behaviour stigma discrimination harassment safety
digital phones internet media journalists storytelling art music sport
""".split()
RARE_WORDS = 5000
RARE_EVERY = 8  # one word in eight is from the long tail
TITLE_OPENERS = [
    "Strengthening",
    "Building",
    "Supporting",
    "Securing",
    "Promoting",
    "Organising",
    "Expanding",
    "Linking",
    "Mobilising",
    "Protecting",
    "Investing in",
    "Learning from",
]


class Weighted:
    """Draws items with fixed weights from a random.Random, cheaply and reproducibly."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def one(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]

    def some(self, rng, k):
        return rng.choices(self.items, cum_weights=self.cumulative, k=k)

    def distinct(self, rng, k):
        chosen = []
        for _attempt in range(k * 4):
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == k:
                    break
        return chosen


def zipf(items, offset=8):
    return Weighted(items, [1.0 / (rank + offset) for rank in range(len(items))])


def rare_words(rng, n):
    """`n` made-up words (local terms, place and project names) for the long tail of the text:
    each is in about one record in a hundred, as specific terms are in real text."""
    onsets = "b d f g k l m n p r s t v w y z ch sh th".split()
    vowels = "a e i o u".split()
    words = set()
    while len(words) < n:
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        )
    return sorted(words)


class Writer:
    """Words, sentences and paragraphs: common domain words (Zipf) and a long tail of rare ones."""

    def __init__(self, rng):
        self.rng = rng
        self.words = zipf(WORDS)
        self.rare = rare_words(rng, RARE_WORDS)

    def text(self, n_words, sentence=(8, 18)):
        words = self.words.some(self.rng, n_words)
        for i in range(0, n_words, RARE_EVERY):
            words[self.rng.randrange(i, min(i + RARE_EVERY, n_words))] = self.rng.choice(self.rare)
        sentences, start = [], 0
        while start < n_words:
            end = start + self.rng.randint(*sentence)
            sentences.append(" ".join(words[start:end]).capitalize() + ".")
            start = end
        return " ".join(sentences)

    def paragraphs(self, n_words):
        paragraphs, left = [], n_words
        while left > 0:
            n = min(left, self.rng.randint(50, 110))
            paragraphs.append(self.text(n))
            left -= n
        return "\n\n".join(paragraphs)

    def name_words(self, n):
        """Distinct capitalised words for an organisation's or movement's name."""
        return " ".join(word.capitalize() for word in self.words.distinct(self.rng, n))

    def title(self, place=None):
        n = self.rng.randint(4, 12)
        opener = self.rng.choice(TITLE_OPENERS)
        suffix = f" in {place}" if place and n > 5 else ""
        used = len(opener.split()) + len(suffix.split())
        words = self.words.some(self.rng, max(1, n - used))
        if len(words) > 2 and self.rng.random() < 0.5:
            words[self.rng.randrange(len(words))] = self.rng.choice(self.rare)
        return f"{opener} {' '.join(words)}{suffix}"
