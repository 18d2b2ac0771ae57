#!/bin/sh
# The client side of the Orthanc sample logs (DCMTK 3.6.7 tools against Orthanc on port 11250).
P=11250
STUDY=1.2.826.0.1.3680043.8.498.1001
echoscu -aet MODALITY -aec ORTHANC localhost $P
echoscu -aet MODALITY -aec WRONGAE localhost $P
storescu -R -aet MODALITY -aec ORTHANC localhost $P ct-native.dcm
storescu -R -xs -aet MODALITY -aec ORTHANC localhost $P ct-jpegll.dcm
findscu -W -aet MODALITY -aec ORTHANC -k PatientID localhost $P
movescu -S -aet MODALITY -aec ORTHANC -aem NOWHERE -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$STUDY localhost $P
movescu -S -aet VIEWER -aec ORTHANC -aem MODALITY -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$STUDY localhost $P
