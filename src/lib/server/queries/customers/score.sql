-- One customer's churn score and reasons.
SELECT score, reasons FROM churn_scores FINAL WHERE customer_id = {id:String}
