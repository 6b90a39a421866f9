"""Two models: a book and the author its serializer touches without loading it."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "bench"

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")

    class Meta:
        app_label = "bench"

    def __str__(self) -> str:
        return self.title
