"""Test case upload: file handling, kept sync (the plan's rule 4)."""

import hashlib
import json
import zipfile

from django.conf import settings

from oj.account.decorators import problem_permission_required
from oj.utils.api import APIError, CSRFExemptAPIView
from oj.utils.shortcuts import rand_str

from ..serializers import TestCaseUploadForm


def test_case_names(name_list, spj):
    """``1.in, 1.out, 2.in, ...`` (inputs only for special judge) for as long as
    the numbering runs unbroken in the zip."""
    names = []
    index = 1
    while True:
        wanted = [f"{index}.in"] if spj else [f"{index}.in", f"{index}.out"]
        if not all(name in name_list for name in wanted):
            return names
        names.extend(wanted)
        index += 1


class TestCaseAPI(CSRFExemptAPIView):
    # multipart body: leave it to Django, not the JSON / urlencoded parsers
    request_parsers = ()

    def process_zip(self, uploaded_zip_file, spj):
        try:
            zip_file = zipfile.ZipFile(uploaded_zip_file, "r")
        except zipfile.BadZipFile:
            raise APIError("Bad zip file") from None
        names = test_case_names(zip_file.namelist(), spj)
        if not names:
            raise APIError("Empty file")

        test_case_id = rand_str()
        test_case_dir = settings.TEST_CASE_DIR / test_case_id
        test_case_dir.mkdir(parents=True)
        sizes, md5s = {}, {}
        for name in names:
            content = zip_file.read(name).replace(b"\r\n", b"\n")
            sizes[name] = len(content)
            if name.endswith(".out"):
                md5s[name] = hashlib.md5(content.rstrip()).hexdigest()
            (test_case_dir / name).write_bytes(content)

        step = 1 if spj else 2
        info = []
        for index in range(0, len(names), step):
            item = {"input_name": names[index], "input_size": sizes[names[index]]}
            if not spj:
                output = names[index + 1]
                item.update(
                    output_name=output,
                    output_size=sizes[output],
                    stripped_output_md5=md5s[output],
                )
            info.append(item)
        test_cases = {str(i + 1): item for i, item in enumerate(info)}
        (test_case_dir / "info").write_text(
            json.dumps({"spj": spj, "test_cases": test_cases}, indent=4)
        )
        return info, test_case_id

    @problem_permission_required
    def post(self, request):
        form = TestCaseUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.error("Upload failed")
        spj = form.cleaned_data["spj"] == "true"
        info, test_case_id = self.process_zip(form.cleaned_data["file"], spj)
        return self.success({"id": test_case_id, "info": info, "spj": spj})
