"""What the API answers: the objects as JSON (dates ISO 8601), and the bodies it takes.

Values a person types are checked by the domain's own rules (activities by
validate_activity, handles by the network's check), not by a copy here: these
serializers describe the shapes for the schema and read values, nothing more.
"""

from rest_framework import serializers

from influence.activities.rules import FIELDS as ACTIVITY_FIELDS
from influence.activities.rules import MAX_NOTES, MAX_TITLE, MAX_URL, MAX_VENUE
from influence.core.choices import AccountStatus, ActivityKind, Metric, Network, Role
from influence.core.models import Account, Activity, Subject, Workspace
from influence.core.models.activities import MAX_AUDIENCE


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True, help_text="The token's user's role here.")

    class Meta:
        model = Workspace
        fields = ["id", "name", "role", "created_at"]


class SubjectSerializer(serializers.ModelSerializer):
    workspace = serializers.IntegerField(source="workspace_id", read_only=True)
    score = serializers.FloatField(
        read_only=True, allow_null=True, source="latest_total",
        help_text="The latest stored score (0-100), null before the first one.",
    )
    score_day = serializers.DateField(read_only=True, allow_null=True, source="latest_day")
    change_7d = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The shown score's change over 7 days, as on the home page."
    )
    change_30d = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Subject
        fields = ["id", "workspace", "name", "score", "score_day", "change_7d", "change_30d", "created_at"]


class SubjectCreateSerializer(serializers.ModelSerializer):
    workspace = serializers.IntegerField(help_text="The id of one of the token's workspaces.")

    class Meta:
        model = Subject
        fields = ["workspace", "name"]
        extra_kwargs = {"name": {"error_messages": {"blank": "A subject needs a name."}}}

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("A subject needs a name.")
        return value


class SubjectRenameSerializer(SubjectCreateSerializer):
    class Meta:
        model = Subject
        fields = ["name"]
        extra_kwargs = {"name": {"error_messages": {"blank": "A subject needs a name."}}}


class AccountSerializer(serializers.ModelSerializer):
    subject = serializers.IntegerField(source="subject_id", read_only=True)
    # An address or "" (none): not a URI for the schema.
    instance_url = serializers.CharField(read_only=True)

    class Meta:
        model = Account
        fields = [
            "id", "subject", "network", "handle", "instance_url", "label", "status",
            "last_collected_at", "last_error", "consecutive_failures", "created_at",
        ]
        read_only_fields = fields


class AccountCreateSerializer(serializers.Serializer):
    network = serializers.ChoiceField(choices=Network.choices)
    handle = serializers.CharField(max_length=300, help_text="As a user types it on the page (see the docs).")
    instance_url = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    label = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text="Manual accounts: the platform's name (LinkedIn, X ...).",
    )
    save_unchecked = serializers.BooleanField(
        required=False, default=False,
        help_text="When the network cannot be asked now (this server offline, the network down), add the "
        "account anyway, unchecked; its first collection is queued. A handle or host that does not exist "
        "is refused all the same.",
    )


class AccountStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AccountStatus.choices)


class CountsSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="Today or an earlier day (UTC).")
    counts = serializers.DictField(
        child=serializers.IntegerField(min_value=0), allow_empty=False,
        help_text=f"Metric name to count, e.g. {{\"followers\": 1200}}; metrics: {', '.join(Metric.values)}.",
    )


class CountsResultSerializer(serializers.Serializer):
    day = serializers.DateField()
    written = serializers.IntegerField()


class ActivitySerializer(serializers.ModelSerializer):
    subject = serializers.IntegerField(source="subject_id", read_only=True)
    url = serializers.CharField(read_only=True, help_text="A web address, or empty.")

    class Meta:
        model = Activity
        fields = ["id", "subject", *ACTIVITY_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


class ActivityInputSerializer(serializers.Serializer):
    """An activity's values as typed; checked by the same rules as the form and the CSV import."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=MAX_TITLE)
    date = serializers.DateField(help_text="At most a year ahead.")
    end_date = serializers.DateField(required=False, allow_null=True)
    audience = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AUDIENCE)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=MAX_VENUE)
    url = serializers.URLField(required=False, allow_blank=True, max_length=MAX_URL)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTES)


class ActivityPatchSerializer(ActivityInputSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    title = serializers.CharField(required=False, max_length=MAX_TITLE)
    date = serializers.DateField(required=False)


class BulkActivitiesSerializer(serializers.Serializer):
    activities = ActivityInputSerializer(many=True, help_text="Up to 500; all are created or none.")


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    results = ActivitySerializer(many=True)


class SnapshotSerializer(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.FloatField(help_text="The score, 0-100.")
    online_share = serializers.FloatField(help_text="Online's share of total (online_share + offline_share = total).")
    offline_share = serializers.FloatField()
    online_score = serializers.FloatField(help_text="The online sub-score, 0-100 (what ignoring offline would say).")
    offline_score = serializers.FloatField(help_text="The offline sub-score, 0-100.")
    online_points = serializers.FloatField(help_text="Weighted online points before saturation.")
    offline_points = serializers.FloatField(help_text="Weighted offline points before saturation.")
    model_version = serializers.CharField()


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="A network (online side) or an activity kind (offline side).")
    label = serializers.CharField()
    points = serializers.FloatField()
    share = serializers.FloatField(help_text="Its share of the total.")
    count = serializers.IntegerField()


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    side = serializers.ChoiceField(choices=["online", "offline"])
    group = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField()
    share = serializers.FloatField()


class StaleSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    as_of = serializers.DateField()


class BreakdownSerializer(SnapshotSerializer):
    networks = GroupSerializer(many=True)
    kinds = GroupSerializer(many=True)
    top_items = ItemSerializer(many=True)
    stale = StaleSerializer(many=True)


class GrowthSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    metric = serializers.ChoiceField(choices=Metric.choices)
    window_days = serializers.IntegerField(help_text="7, 30 or 90.")
    change = serializers.IntegerField(help_text="The last day's value minus the value this many days before.")
    percent = serializers.FloatField(allow_null=True, help_text="The change in percent; null from a start of 0.")


class ProjectionSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    metric = serializers.ChoiceField(choices=Metric.choices)
    days_ahead = serializers.IntegerField(help_text="30, 90 or 365 days after the series' last day.")
    day = serializers.DateField()
    value = serializers.IntegerField(help_text="The least-squares line of the last 90 days, carried ahead.")
    low = serializers.IntegerField(help_text="About 95 % of the line's residuals say no lower.")
    high = serializers.IntegerField()


class EffectSerializer(serializers.Serializer):
    activity = serializers.IntegerField(help_text="The activity (the first of its group).")
    activities = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every activity of the group (within 14 days of each other)."
    )
    account = serializers.IntegerField()
    metric = serializers.ChoiceField(choices=Metric.choices)
    before_per_day = serializers.FloatField(help_text="The average daily gain over the 28 days before.")
    after_per_day = serializers.FloatField(help_text="The average daily gain over the 14 days from the activity.")
    ratio = serializers.FloatField(allow_null=True, help_text="after / before; null when before is below 1 a day.")
    flagged = serializers.BooleanField(help_text="An unusual day falls in the 14 days after.")


class AnomalySerializer(serializers.Serializer):
    account = serializers.IntegerField()
    metric = serializers.ChoiceField(choices=Metric.choices)
    day = serializers.DateField()
    change = serializers.IntegerField(help_text="That day's change from the day before.")
    kind = serializers.ChoiceField(choices=["spike", "drop"])


class KindSummarySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    label = serializers.CharField()
    plural = serializers.CharField()
    median_ratio = serializers.FloatField()
    activities = serializers.IntegerField(help_text="How many activities of this kind have a measured ratio.")


class InsightActivitySerializer(serializers.Serializer):
    title = serializers.CharField()
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    kind_label = serializers.CharField()


class InsightLabelsSerializer(serializers.Serializer):
    accounts = serializers.DictField(child=serializers.CharField(), help_text="Account id: its display name.")
    metrics = serializers.DictField(child=serializers.CharField())
    activities = serializers.DictField(child=InsightActivitySerializer(), help_text="Activity id: what it was.")


class InsightsSerializer(serializers.Serializer):
    growth = GrowthSerializer(many=True)
    projections = ProjectionSerializer(many=True)
    effects = EffectSerializer(many=True, help_text="Strongest first.")
    anomalies = AnomalySerializer(many=True, help_text="Not dismissed, newest first.")
    kinds = KindSummarySerializer(many=True)
    labels = InsightLabelsSerializer()
