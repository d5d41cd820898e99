"""schema.org descriptions of exercises, for search engines."""

from typing import Any

from .models import Exercise


def exercise_plan(exercise: Exercise, *, url: str, language: str) -> dict[str, Any]:
    """``language``: the page's, as hreflang writes it ("en-GB", "cy")."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ExercisePlan",
        "inLanguage": language,
        "name": exercise.title,
        "description": exercise.summary,
        "url": url,
        "exerciseType": exercise.category.name,
        "repetitions": exercise.repetitions,
        "activityFrequency": exercise.frequency,
        "activityDuration": exercise.duration,
        "step": [
            {"@type": "HowToStep", "position": number, "text": step.text}
            for number, step in enumerate(exercise.steps.all(), start=1)
        ],
        "dateModified": exercise.updated_at.isoformat(),
    }
    if exercise.published_at:
        data["datePublished"] = exercise.published_at.isoformat()
    if exercise.author:
        data["author"] = {
            "@type": "Person",
            "name": exercise.author.get_full_name() or exercise.author.get_username(),
        }
    return data
