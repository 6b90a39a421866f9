from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Publisher(models.Model):
    name = models.CharField(max_length=100)


class Author(models.Model):
    name = models.CharField(max_length=100)
    bio = models.TextField(default="")


class Profile(models.Model):
    author = models.OneToOneField(Author, models.CASCADE, related_name="profile")
    website = models.CharField(max_length=100, default="")


class Tag(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    publisher = models.ForeignKey(
        Publisher, models.SET_NULL, null=True, related_name="books"
    )
    tags = models.ManyToManyField(Tag, related_name="books")


class Note(models.Model):
    text = models.CharField(max_length=100)
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
