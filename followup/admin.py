from django.contrib import admin

from .models import CommitmentPeriod, Rating, ReviewItem, ReviewRound


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    extra = 0
    raw_id_fields = ["commitment", "reported_by", "verified_by"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "origin", "state", "agency", "session", "opened_on", "due_on"]
    list_filter = ["state", "origin"]
    search_fields = ["title"]
    raw_id_fields = ["response", "opened_by"]
    inlines = [ReviewItemInline]


@admin.register(CommitmentPeriod)
class CommitmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["commitment", "number", "starts_on", "due_on", "met_at"]
    list_filter = ["met_at"]
    raw_id_fields = ["commitment", "met_by"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["response", "proposer", "attitude", "result", "collected_by", "round", "created_at"]
    list_filter = ["collected_by", "result", "attitude"]
    raw_id_fields = ["response", "proposer", "round", "rated_by"]
