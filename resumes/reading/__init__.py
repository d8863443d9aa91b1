"""Reading resumes and job adverts: the vocabulary, the resume, the advert and the focus."""
