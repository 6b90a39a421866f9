from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route(
        "flowchart/submission",
        oj.FlowchartSubmissionAPI,
        legacy=legacy.FlowchartSubmissionAPI,
        name="flowchart_submission_api",
    ),
    Route(
        "flowchart/submissions",
        oj.FlowchartSubmissionListAPI,
        legacy=legacy.FlowchartSubmissionListAPI,
        name="flowchart_submission_list_api",
    ),
    Route(
        "flowchart/submission/retry",
        oj.FlowchartSubmissionRetryAPI,
        legacy=legacy.FlowchartSubmissionRetryAPI,
        name="flowchart_submission_retry_api",
    ),
    Route(
        "flowchart/submission/detail",
        oj.FlowchartSubmissionDetailAPI,
        legacy=legacy.FlowchartSubmissionDetailAPI,
        name="flowchart_submission_detail_api",
    ),
    Route(
        "flowchart/submission/current",
        oj.FlowchartSubmissionCurrentAPI,
        legacy=legacy.FlowchartSubmissionCurrentAPI,
        name="flowchart_submission_current_api",
    ),
]
