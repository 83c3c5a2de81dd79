"""The domain's vocabulary: networks, metrics, activity kinds, roles and statuses."""

from django.db import models

from influence.scoring import model as scoring_model


class Network(models.TextChoices):
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    GITHUB = "github", "GitHub"
    STACKEXCHANGE = "stackexchange", "Stack Exchange"
    HACKERNEWS = "hackernews", "Hacker News"
    REDDIT = "reddit", "Reddit"
    OPENALEX = "openalex", "OpenAlex"
    WIKIPEDIA = "wikipedia", "Wikipedia"
    YOUTUBE = "youtube", "YouTube"
    RSS = "rss", "RSS / Atom feed"
    MANUAL = "manual", "Manual (LinkedIn, X, Instagram ...)"


class Metric(models.TextChoices):
    FOLLOWERS = "followers", "Followers"
    FOLLOWING = "following", "Following"
    POSTS = "posts", "Posts"
    ENGAGEMENTS_30D = "engagements_30d", "Engagements (30 days)"
    STARS = "stars", "Stars"
    PUBLIC_REPOS = "public_repos", "Public repositories"
    SUBSCRIBERS = "subscribers", "Subscribers"
    VIEWS = "views", "Views"
    VIDEOS = "videos", "Videos"
    REPUTATION = "reputation", "Reputation"
    BADGES_GOLD = "badges_gold", "Gold badges"
    BADGES_SILVER = "badges_silver", "Silver badges"
    BADGES_BRONZE = "badges_bronze", "Bronze badges"
    KARMA = "karma", "Karma"
    CITATIONS = "citations", "Citations"
    WORKS = "works", "Works"
    H_INDEX = "h_index", "h-index"
    PAGEVIEWS = "pageviews", "Page views (day)"
    PAGEVIEWS_30D = "pageviews_30d", "Page views (30 days)"
    POSTS_90D = "posts_90d", "Posts (90 days)"


class ActivityKind(models.TextChoices):
    KEYNOTE = "keynote", "Keynote"
    TALK = "talk", "Talk"
    WORKSHOP = "workshop", "Workshop"
    PANEL = "panel", "Panel"
    BOOK = "book", "Book"
    ARTICLE = "article", "Article or publication"
    TEACHING = "teaching", "Teaching (course or class)"
    MEDIA = "media", "Media interview or mention"
    AWARD = "award", "Award"
    REFERRAL = "referral", "Client referral"
    MENTORING = "mentoring", "Mentoring"
    BOARD = "board", "Board or advisory role"
    EVENT = "event", "Community event organised"
    OTHER = "other", "Other"


# Kinds that run from a start date to an optional end date and count fully
# meanwhile: a rule of the score model, which owns it.
ONGOING_KINDS = frozenset(ActivityKind(kind) for kind in scoring_model.ONGOING_KINDS)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class AccountStatus(models.TextChoices):
    OK = "ok", "OK"
    FAILING = "failing", "Failing"
    NEEDS_KEY = "needs_key", "Needs an API key"
    PAUSED = "paused", "Paused"


class DigestStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class CredentialName(models.TextChoices):
    GITHUB_TOKEN = "github_token", "GitHub token"
    YOUTUBE_API_KEY = "youtube_api_key", "YouTube API key"
    REDDIT_CLIENT_ID = "reddit_client_id", "Reddit app client id"
    REDDIT_CLIENT_SECRET = "reddit_client_secret", "Reddit app client secret"
    STACKEXCHANGE_KEY = "stackexchange_key", "Stack Exchange key"
    OPENALEX_API_KEY = "openalex_api_key", "OpenAlex API key"
